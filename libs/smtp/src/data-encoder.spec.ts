import { describe, it, expect } from 'vitest';
import { DotStuffer, dotStuff } from './data-encoder';
import { DotUnstuffer } from './data-decoder';

function stuff(chunks: Buffer[]): string {
  const s = new DotStuffer();
  const out = chunks.flatMap((c) => s.push(c));
  out.push(s.finish());
  return Buffer.concat(out).toString('latin1');
}

function unstuff(wire: string): { body: string; ended: boolean; bare: boolean } {
  const r = new DotUnstuffer().push(Buffer.from(wire, 'latin1'));
  return { body: Buffer.concat(r.body).toString('latin1'), ended: r.ended && r.rest === undefined, bare: r.bareLineEndings };
}

/** What the receiver should get: CRLF line endings, and a final CRLF. */
function normalised(x: string): string {
  const crlf = x.replace(/\r\n|\r|\n/g, '\r\n');
  return crlf === '' || crlf.endsWith('\r\n') ? crlf : `${crlf}\r\n`;
}

describe('DotStuffer: seed example (RFC 5321 §4.5.2)', () => {
  it('stuffs lines that start with a dot and terminates', () => {
    const message = 'this message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n';
    expect(stuff([Buffer.from(message)])).toBe('this message is a test of SMTP\r\n..\r\n..foo\r\n..\r\n.\r\n');
  });
});

describe('DotStuffer', () => {
  it('stuffs a dot at the very start', () => {
    expect(stuff([Buffer.from('.hidden\r\n')])).toBe('..hidden\r\n.\r\n');
  });

  it('terminates an empty body and a body without a final CRLF', () => {
    expect(stuff([])).toBe('.\r\n');
    expect(stuff([Buffer.from('abc')])).toBe('abc\r\n.\r\n');
    expect(stuff([Buffer.from('abc\r')])).toBe('abc\r\n.\r\n');
  });

  it('normalises bare CR and LF to CRLF (RFC 5321 §4.1.1.4)', () => {
    expect(stuff([Buffer.from('a\nb\rc\r\r\nd')])).toBe('a\r\nb\r\nc\r\n\r\nd\r\n.\r\n');
  });

  it('neutralises smuggling vectors in outgoing data', () => {
    for (const v of ['\n.\n', '\r\n.\n', '\n.\r\n', '\r.\r\n', '\r\n.\r']) {
      const wire = stuff([Buffer.from(`a${v}MAIL FROM:<x@y.test>\r\n`)]);
      // the only "." line is the real terminator
      expect(wire.split('\r\n').filter((l) => l === '.')).toHaveLength(1);
      expect(wire.endsWith('\r\n.\r\n')).toBe(true);
      expect(/\r(?!\n)|(?<!\r)\n/.test(wire)).toBe(false);
    }
  });

  it('handles a dot and a CRLF split across chunks', () => {
    expect(stuff([Buffer.from('a\r'), Buffer.from('\n'), Buffer.from('.'), Buffer.from('b\r\n')])).toBe('a\r\n..b\r\n.\r\n');
    expect(stuff([Buffer.from('a\r'), Buffer.from('.b')])).toBe('a\r\n..b\r\n.\r\n');
  });

  it('returns the input itself when nothing needs changing', () => {
    const input = Buffer.from('plain\r\ntext\r\n');
    const out = new DotStuffer().push(input);
    expect(out).toHaveLength(1);
    expect(out[0]?.buffer).toBe(input.buffer);
  });
});

describe('DotStuffer + DotUnstuffer round trip', () => {
  it('unstuff(stuff(x)) equals x with CRLF line endings, for random x and chunking', () => {
    let seed = 1234;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const alphabet = ['.', '.', '..', '\r\n', '\r', '\n', 'a', 'é', ' ', '\r\n.\r\n', '\x00'];
    for (let i = 0; i < 5000; i++) {
      let x = '';
      const parts = rand(25);
      for (let j = 0; j < parts; j++) x += alphabet[rand(alphabet.length)];
      const b = Buffer.from(x, 'latin1');
      const chunks: Buffer[] = [];
      for (let at = 0; at < b.length;) {
        const len = 1 + rand(6);
        chunks.push(b.subarray(at, at + len));
        at += len;
      }
      const wire = stuff(chunks);
      const back = unstuff(wire);
      expect(back.body).toBe(normalised(x));
      expect(back.ended).toBe(true); // the terminator is the last thing on the wire
      expect(back.bare).toBe(false);
    }
  });
});

describe('dotStuff', () => {
  it('stuffs an async iterable and ends with the terminator', async () => {
    async function* source(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('.a\r\n');
      yield new TextEncoder().encode('b');
    }
    const out: Buffer[] = [];
    for await (const part of dotStuff(source())) out.push(part);
    expect(Buffer.concat(out).toString()).toBe('..a\r\nb\r\n.\r\n');
  });

  it('accepts a plain iterable', async () => {
    const out: Buffer[] = [];
    for await (const part of dotStuff([Buffer.from('x\r\n')])) out.push(part);
    expect(Buffer.concat(out).toString()).toBe('x\r\n.\r\n');
  });
});
