// Tests of multiline.ts: the seed exchange (lines ".", ".foo", "."), chunk
// boundaries, the terminator rules, a randomized round trip against both our
// decoder and a naive RFC 1939 §3 reference decoder, and a 25 MiB message.

import { describe, expect, it } from 'vitest';
import { encodeMultiline, encodeMultilineResponse, formatListing, MultilineEncoder, unstuffMultiline } from './multiline';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Encodes `body` fed in the given chunk sizes (cycled). */
function encodeInChunks(body: Buffer, sizes: readonly number[]): Buffer {
  const encoder = new MultilineEncoder();
  const out: Buffer[] = [];
  let pos = 0;
  for (let i = 0; pos < body.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    out.push(encoder.push(body.subarray(pos, pos + size)));
    pos += size;
  }
  out.push(encoder.end());
  return Buffer.concat(out);
}

/** Independent oracle: RFC 1939 §3 read literally, for CRLF-only content. */
function referenceDecode(wire: string): string {
  const lines = wire.split('\r\n');
  const out: string[] = [];
  for (const line of lines) {
    if (line === '.') return out.map((l) => `${l}\r\n`).join('');
    out.push(line.startsWith('.') ? line.slice(1) : line);
  }
  throw new Error('no terminator');
}

/** Small deterministic PRNG (mulberry32) so failures can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('MultilineEncoder', () => {
  it('stuffs the seed message: ".", ".foo", "." go out as "..", "..foo", ".." then "."', () => {
    // Seed 004: the "Leading Period" exchange.
    const message = 'this message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n';
    const wire = encodeMultiline(bytes(message)).toString('latin1');
    expect(wire).toBe('this message is a test of SMTP\r\n..\r\n..foo\r\n..\r\n.\r\n');
    expect(unstuffMultiline(bytes(wire)).toString('latin1')).toBe(message);
    expect(referenceDecode(wire)).toBe(message);
  });

  it('gives the same bytes for the seed message split at every position', () => {
    const message = bytes('.\r\n.foo\r\n.\r\n');
    const whole = encodeMultiline(message);
    expect(whole.toString('latin1')).toBe('..\r\n..foo\r\n..\r\n.\r\n');
    for (let cut = 0; cut <= message.length; cut += 1) {
      const encoder = new MultilineEncoder();
      const wire = Buffer.concat([encoder.push(message.subarray(0, cut)), encoder.push(message.subarray(cut)), encoder.end()]);
      expect(wire.equals(whole), `cut at ${cut}`).toBe(true);
    }
    expect(encodeInChunks(message, [1]).equals(whole)).toBe(true);
  });

  it('returns the chunk itself when nothing needs stuffing', () => {
    const chunk = bytes('Subject: hi\r\n\r\nbody\r\n');
    const encoder = new MultilineEncoder();
    expect(encoder.push(chunk)).toBe(chunk);
  });

  it('accepts plain Uint8Array chunks', () => {
    const encoder = new MultilineEncoder();
    const out = encoder.push(new Uint8Array(bytes('.a\r\n')));
    expect(out.toString('latin1')).toBe('..a\r\n');
  });

  it('ends an empty body with just the terminator', () => {
    expect(encodeMultiline(Buffer.alloc(0)).toString('latin1')).toBe('.\r\n');
  });

  it('adds CRLF before the terminator when the body does not end with one', () => {
    expect(encodeMultiline(bytes('abc')).toString('latin1')).toBe('abc\r\n.\r\n');
    expect(encodeMultiline(bytes('abc\r')).toString('latin1')).toBe('abc\r\r\n.\r\n');
    expect(encodeMultiline(bytes('abc\n')).toString('latin1')).toBe('abc\n\r\n.\r\n');
    expect(encodeInChunks(bytes('abc\r\n'), [4, 1]).toString('latin1')).toBe('abc\r\n.\r\n');
  });

  it('stuffs a dot after a bare LF too, so LF-splitting clients see no early terminator', () => {
    expect(encodeMultiline(bytes('a\n.\r\nb\r\n')).toString('latin1')).toBe('a\n..\r\nb\r\n.\r\n');
  });

  it('frames a whole response after its status line in one buffer (RETR of a message in hand)', () => {
    const message = bytes('.first\r\nmiddle\r\n.\r\nlast');
    expect(encodeMultilineResponse('+OK 26 octets\r\n', message).toString('latin1')).toBe('+OK 26 octets\r\n..first\r\nmiddle\r\n..\r\nlast\r\n.\r\n');
    expect(encodeMultilineResponse('+OK 0 octets\r\n', Buffer.alloc(0)).toString('latin1')).toBe('+OK 0 octets\r\n.\r\n');
    expect(encodeMultilineResponse('+OK\r\n', bytes('no dots\r\n')).toString('latin1')).toBe('+OK\r\nno dots\r\n.\r\n');
  });

  it('refuses use after end()', () => {
    const encoder = new MultilineEncoder();
    encoder.end();
    expect(() => encoder.push(bytes('x'))).toThrow(Error);
    expect(() => encoder.end()).toThrow(Error);
  });

  it('round-trips random CRLF-line bodies in random chunks', () => {
    const seed = 20_241_121;
    const random = prng(seed);
    const pieces = ['.', '..', '.', 'a', 'foo', ' ', '\t', '\u00e9']; // line content: no CR or LF
    for (let round = 0; round < 1_000; round += 1) {
      const lineCount = Math.floor(random() * 12);
      let body = '';
      for (let l = 0; l < lineCount; l += 1) {
        let line = '';
        const length = Math.floor(random() * 6);
        for (let k = 0; k < length; k += 1) line += pieces[Math.floor(random() * pieces.length)] ?? '';
        body += `${line}\r\n`;
      }
      const sizes = Array.from({ length: 4 }, () => 1 + Math.floor(random() * 7));
      const wire = encodeInChunks(bytes(body), sizes);
      const context = `seed ${seed} round ${round}: ${JSON.stringify(body)} in ${sizes.join(',')}`;
      expect(unstuffMultiline(wire).toString('latin1'), context).toBe(body);
      expect(referenceDecode(wire.toString('latin1')), context).toBe(body);
      expect(wire.equals(encodeMultiline(bytes(body))), context).toBe(true);
    }
  });

  it('round-trips arbitrary octets ending in CRLF (bare CR and LF included)', () => {
    const seed = 77;
    const random = prng(seed);
    const alphabet = [0x2e, 0x2e, 0x0d, 0x0a, 0x0d, 0x0a, 0x41, 0x00, 0xff];
    for (let round = 0; round < 1_000; round += 1) {
      const length = Math.floor(random() * 40);
      const body = Buffer.alloc(length + 2);
      for (let i = 0; i < length; i += 1) body[i] = alphabet[Math.floor(random() * alphabet.length)] ?? 0;
      body[length] = 0x0d;
      body[length + 1] = 0x0a;
      const wire = encodeInChunks(body, [1 + Math.floor(random() * 5), 1 + Math.floor(random() * 9)]);
      expect(unstuffMultiline(wire).equals(body), `seed ${seed} round ${round}: ${body.toString('hex')}`).toBe(true);
    }
  });

  it('streams a 25 MiB message full of dot lines', () => {
    const line = bytes('.a line that starts with a dot and is about seventy octets long......\r\n');
    const body = Buffer.alloc(25 * 1024 * 1024 - ((25 * 1024 * 1024) % line.length));
    for (let pos = 0; pos < body.length; pos += line.length) line.copy(body, pos);
    const lines = body.length / line.length;
    const started = performance.now();
    const wire = encodeInChunks(body, [64 * 1024]);
    const elapsed = performance.now() - started;
    expect(wire.length).toBe(body.length + lines + 3);
    expect(unstuffMultiline(wire).equals(body)).toBe(true);
    // Generous bound: catches quadratic behaviour, not a benchmark.
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe('unstuffMultiline', () => {
  it('stops at the terminator and ignores what follows', () => {
    expect(unstuffMultiline(bytes('a\r\n.\r\n+OK next\r\n')).toString('latin1')).toBe('a\r\n');
  });

  it('throws when the terminator is missing', () => {
    expect(() => unstuffMultiline(bytes('a\r\n..\r\n'))).toThrow(SyntaxError);
    expect(() => unstuffMultiline(Buffer.alloc(0))).toThrow(SyntaxError);
  });
});

describe('formatListing', () => {
  it('writes each line with CRLF and the terminator', () => {
    expect(formatListing(['1 120', '2 200'])).toBe('1 120\r\n2 200\r\n.\r\n');
    expect(formatListing([])).toBe('.\r\n');
  });

  it('stuffs lines that start with a dot', () => {
    expect(formatListing(['.', '.x'])).toBe('..\r\n..x\r\n.\r\n');
  });

  it('refuses lines containing CR or LF', () => {
    expect(() => formatListing(['a\r\nb'])).toThrow(RangeError);
  });
});
