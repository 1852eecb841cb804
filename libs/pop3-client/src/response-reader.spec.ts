import { describe, expect, it } from 'vitest';
import { Pop3ProtocolError } from './errors';
import { ResponseReader } from './response-reader';

const reader = (...chunks: string[]) => {
  const r = new ResponseReader();
  for (const chunk of chunks) r.push(Buffer.from(chunk, 'latin1'));
  return r;
};

describe('ResponseReader', () => {
  it('hands out status lines without the line end, CRLF or bare LF (RFC 1939 §3)', () => {
    const r = reader('+OK POP3 ready\r\n-ERR no', ' such message\n');
    expect(r.takeLine()).toBe('+OK POP3 ready');
    expect(r.takeLine()).toBe('-ERR no such message');
    expect(r.takeLine()).toBeUndefined();
  });

  it('hands out a body as sent, stuffed and through its terminator, even split inside the terminator', () => {
    const r = reader('+OK 12 octets\r\nline 1\r\n..dot\r\n.', '\r', '\n+OK next\r\n');
    expect(r.takeLine()).toBe('+OK 12 octets');
    expect(r.takeMultiline()?.toString('latin1')).toBe('line 1\r\n..dot\r\n.\r\n');
    expect(r.takeLine()).toBe('+OK next');
  });

  it('waits for the terminator and finds it once it arrives', () => {
    const r = reader('a\r\n');
    expect(r.takeMultiline()).toBeUndefined();
    r.push(Buffer.from('b\r\n.\r'));
    expect(r.takeMultiline()).toBeUndefined();
    r.push(Buffer.from('\n'));
    expect(r.takeMultiline()?.toString()).toBe('a\r\nb\r\n.\r\n');
    expect(r.buffered).toBe(0);
  });

  it('takes an empty body: the terminator line alone', () => {
    expect(reader('.\r\n+OK').takeMultiline()?.toString()).toBe('.\r\n');
  });

  it('keeps a large body whole across many chunks', () => {
    const line = `${'x'.repeat(998)}\r\n`;
    const r = new ResponseReader();
    for (let i = 0; i < 3000; i++) r.push(Buffer.from(line));
    r.push(Buffer.from('.\r\n'));
    expect(r.takeMultiline()?.length).toBe(line.length * 3000 + 3);
  });

  it('refuses a status line that never ends', () => {
    expect(() => reader('+OK '.padEnd(5000, 'x')).takeLine()).toThrow(Pop3ProtocolError);
  });
});
