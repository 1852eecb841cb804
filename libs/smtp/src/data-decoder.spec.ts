import { describe, it, expect } from 'vitest';
import { DotUnstuffer, MAX_TEXT_LINE } from './data-decoder';

interface Decoded {
  body: string;
  ended: boolean;
  rest: string | undefined;
  bareLineEndings: boolean;
  longLines: boolean;
  size: number;
}

/** Feed `chunks` in order, stopping at the end of data like a session would. */
function decode(chunks: Buffer[]): Decoded {
  const d = new DotUnstuffer();
  const body: Buffer[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const r = d.push(chunk);
    body.push(...r.body);
    if (r.ended) {
      const after = Buffer.concat([...(r.rest ? [r.rest] : []), ...chunks.slice(i + 1)]);
      return {
        body: Buffer.concat(body).toString('latin1'),
        ended: true,
        rest: after.length > 0 ? after.toString('latin1') : undefined,
        bareLineEndings: r.bareLineEndings,
        longLines: r.longLines,
        size: r.size,
      };
    }
  }
  return { body: Buffer.concat(body).toString('latin1'), ended: false, rest: undefined, bareLineEndings: d.bareLineEndings, longLines: d.longLines, size: d.size };
}

const whole = (s: string): Decoded => decode([Buffer.from(s, 'latin1')]);

/** Split `s` at every position (one cut), and feed it byte by byte. */
function everySplit(s: string): Buffer[][] {
  const b = Buffer.from(s, 'latin1');
  const splits: Buffer[][] = [];
  for (let i = 0; i <= b.length; i++) splits.push([b.subarray(0, i), b.subarray(i)]);
  splits.push([...b].map((x) => Buffer.from([x])));
  return splits;
}

/**
 * Reference model, byte by byte and obviously right: lines end only at CRLF,
 * a line that is exactly "." ends the data, a leading "." is removed.
 */
function reference(s: string): Decoded {
  let body = '';
  let i = 0;
  let endAt = -1; // index just after the terminator
  for (;;) {
    const j = s.indexOf('\r\n', i);
    if (j < 0) {
      body += s.slice(i).replace(/^\./, '');
      break;
    }
    const line = s.slice(i, j);
    if (line === '.') {
      endAt = j + 2;
      break;
    }
    body += line.replace(/^\./, '') + '\r\n';
    i = j + 2;
  }
  const consumed = endAt < 0 ? s : s.slice(0, endAt);
  const bare = /\r(?!\n)|(?<!\r)\n/.test(consumed);
  const longLines = body.split(/(?<=\n)/).some((l) => l.length > MAX_TEXT_LINE);
  const rest = endAt >= 0 && endAt < s.length ? s.slice(endAt) : undefined;
  return { body, ended: endAt >= 0, rest, bareLineEndings: bare, longLines, size: body.length };
}

describe('DotUnstuffer: seed example (RFC 5321 §4.5.2)', () => {
  const wire = 'this message is a test of SMTP\r\n..\r\n..foo\r\n..\r\n.\r\n';
  const message = 'this message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n';

  it('removes the stuffed dots and stops at <CRLF>.<CRLF>', () => {
    expect(whole(wire)).toEqual({ body: message, ended: true, rest: undefined, bareLineEndings: false, longLines: false, size: message.length });
  });

  it('gives the same result split at every byte boundary', () => {
    for (const chunks of everySplit(wire + 'QUIT\r\n')) {
      expect(decode(chunks)).toMatchObject({ body: message, ended: true, rest: 'QUIT\r\n', bareLineEndings: false });
    }
  });

  it('gives the same result split at every pair of positions', () => {
    const b = Buffer.from(wire + 'RSET\r\n', 'latin1');
    for (let i = 0; i <= b.length; i++) {
      for (let j = i; j <= b.length; j++) {
        const r = decode([b.subarray(0, i), b.subarray(i, j), b.subarray(j)]);
        expect(r.body).toBe(message);
        expect(r.rest).toBe('RSET\r\n');
      }
    }
  });
});

describe('DotUnstuffer: end of data (RFC 5321 §4.1.1.4)', () => {
  it('treats the first line as following a CRLF (the DATA command line)', () => {
    expect(whole('.\r\n')).toMatchObject({ body: '', ended: true, size: 0 });
    expect(whole('..x\r\n.\r\n')).toMatchObject({ body: '.x\r\n', ended: true });
  });

  it('keeps the CRLF before the terminator as part of the body', () => {
    expect(whole('a\r\n.\r\n').body).toBe('a\r\n');
  });

  it('returns pipelined bytes after the terminator', () => {
    expect(whole('a\r\n.\r\nMAIL FROM:<x@y.test>\r\nRCPT TO:<z@y.test>\r\n')).toMatchObject({ ended: true, rest: 'MAIL FROM:<x@y.test>\r\nRCPT TO:<z@y.test>\r\n' });
  });

  it('does not end on ".." or ". " lines', () => {
    expect(whole('..\r\n. \r\n.\r\n')).toMatchObject({ body: '.\r\n \r\n', ended: true });
  });

  it('throws when pushed after the end', () => {
    const d = new DotUnstuffer();
    expect(d.push(Buffer.from('.\r\n')).ended).toBe(true);
    expect(() => d.push(Buffer.from('x'))).toThrow(/after end of data/);
  });

  it('accepts Uint8Array input', () => {
    const r = new DotUnstuffer().push(new TextEncoder().encode('..a\r\n.\r\n'));
    expect(Buffer.concat(r.body).toString()).toBe('.a\r\n');
  });
});

describe('DotUnstuffer: SMTP smuggling vectors never end the data', () => {
  // Each vector is what a lenient server might take for the end of data. The
  // expected body follows "lines end only at CRLF": a dot right after CRLF is
  // stuffing and removed; a dot after a bare CR or LF is content.
  const vectors: Array<[name: string, vector: string, smuggledBody: string]> = [
    ['\\n.\\n', '\n.\n', '\n.\n'],
    ['\\r\\n.\\n', '\r\n.\n', '\r\n\n'],
    ['\\n.\\r\\n', '\n.\r\n', '\n.\r\n'],
    ['\\r.\\r\\n', '\r.\r\n', '\r.\r\n'],
    ['\\r\\n.\\r', '\r\n.\r', '\r\n\r'],
    ['\\r\\n.\\r\\r\\n', '\r\n.\r\r\n', '\r\n\r\r\n'],
    ['\\r.\\r', '\r.\r', '\r.\r'],
    ['\\n.\\r', '\n.\r', '\n.\r'],
    ['\\r\\n\\x00.\\r\\n', '\r\n\x00.\r\n', '\r\n\x00.\r\n'],
  ];
  const smuggled = 'MAIL FROM:<admin@bank.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\nFrom: admin@bank.test\r\n\r\nsmuggled\r\n';

  it.each(vectors)('%s', (_name, vector, smuggledBody) => {
    const input = `Subject: hi\r\n\r\nhello${vector}${smuggled}.\r\nQUIT\r\n`;
    const expected = `Subject: hi\r\n\r\nhello${smuggledBody}${smuggled}`;
    for (const chunks of everySplit(input)) {
      const r = decode(chunks);
      expect(r.body).toBe(expected);
      expect(r.ended).toBe(true);
      expect(r.rest).toBe('QUIT\r\n');
      expect(r.bareLineEndings).toBe(!vector.startsWith('\r\n\x00'));
    }
  });

  it('does not end the data at a vector at the very start', () => {
    for (const v of ['.\n', '.\rx', '\n.\r\n', '\r.\r\n']) {
      expect(whole(v)).toMatchObject({ ended: false, bareLineEndings: true });
    }
    // ".\r" alone is held back: only the next byte tells terminator from bare CR
    expect(whole('.\r')).toMatchObject({ body: '', ended: false, bareLineEndings: false });
  });
});

describe('DotUnstuffer: bare line endings and long lines', () => {
  it('flags bare LF and bare CR without changing the bytes', () => {
    expect(whole('a\nb\r\n.\r\n')).toMatchObject({ body: 'a\nb\r\n', bareLineEndings: true });
    expect(whole('a\rb\r\n.\r\n')).toMatchObject({ body: 'a\rb\r\n', bareLineEndings: true });
    expect(whole('a\r\nb\r\n.\r\n').bareLineEndings).toBe(false);
  });

  it('flags a bare CR at a chunk boundary', () => {
    expect(decode([Buffer.from('a\r'), Buffer.from('b\r\n.\r\n')]).bareLineEndings).toBe(true);
    expect(decode([Buffer.from('a\r'), Buffer.from('\nb\r\n.\r\n')]).bareLineEndings).toBe(false);
  });

  it('flags lines over 1000 octets including CRLF, not counting a stuffed dot', () => {
    const line998 = 'x'.repeat(998);
    expect(whole(`${line998}\r\n.\r\n`).longLines).toBe(false);
    expect(whole(`.${line998}\r\n.\r\n`).longLines).toBe(false); // stuffed dot not counted
    expect(whole(`${line998}x\r\n.\r\n`).longLines).toBe(true);
    for (const chunks of everySplit(`ab\r\n${line998}x\r\ncd\r\n.\r\n`).slice(0, 1010)) {
      expect(decode(chunks).longLines).toBe(true);
    }
  });

  it('reports the longest line', () => {
    const d = new DotUnstuffer();
    d.push(Buffer.from('abc\r\n..defg\r\n'));
    expect(d.longestLine).toBe(7); // ".defg\r\n"
  });
});

describe('DotUnstuffer: agrees with a byte-by-byte reference model', () => {
  it('on random inputs with random chunking', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const alphabet = ['.', '.', '\r\n', '\r\n', '\r', '\n', 'a', 'b', ' ', '\r\n.', 'x'.repeat(400)];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const parts = rand(30);
      for (let j = 0; j < parts; j++) s += alphabet[rand(alphabet.length)];
      if (rand(4) > 0) s += '\r\n.\r\n' + (rand(2) ? 'NOOP\r\n' : '');
      const b = Buffer.from(s, 'latin1');
      const chunks: Buffer[] = [];
      for (let at = 0; at < b.length;) {
        const len = 1 + rand(12);
        chunks.push(b.subarray(at, at + len));
        at += len;
      }
      const expected = reference(s);
      const actual = decode(chunks);
      // An unterminated input may hold back a final "." or ".\r"; compare only finished data there.
      if (expected.ended) expect(actual).toEqual(expected);
      else expect(actual.ended).toBe(false);
    }
  });
});

describe('DotUnstuffer: large messages', () => {
  it('returns views of the input, one per chunk when no line starts with a dot', () => {
    const line = Buffer.from('y'.repeat(76) + '\r\n');
    const big = Buffer.concat(Array.from({ length: (25 * 1024 * 1024) / line.length }, () => line));
    const d = new DotUnstuffer();
    let parts = 0;
    let size = 0;
    for (let at = 0; at < big.length; at += 65536) {
      const r = d.push(big.subarray(at, at + 65536));
      parts += r.body.length;
      size = r.size;
    }
    const end = d.push(Buffer.from('.\r\n'));
    expect(end.ended).toBe(true);
    expect(parts).toBe(Math.ceil(big.length / 65536));
    expect(size).toBe(big.length);
    expect(end.bareLineEndings).toBe(false);
  });
});
