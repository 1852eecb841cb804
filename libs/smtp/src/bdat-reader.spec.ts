import { describe, it, expect } from 'vitest';
import { BdatReader } from './bdat-reader';

describe('BdatReader (RFC 3030 §2)', () => {
  it('takes exactly the announced octets, dots and CRLF.CRLF included, and returns the rest', () => {
    const r = new BdatReader(10);
    expect(r.push(Buffer.from('ab\r\n.\r\n'))).toEqual({ data: [Buffer.from('ab\r\n.\r\n')], done: false });
    expect(r.pending).toBe(3);
    expect(r.push(Buffer.from('xyzQUIT\r\n'))).toEqual({ data: [Buffer.from('xyz')], done: true, rest: Buffer.from('QUIT\r\n') });
  });

  it('handles a zero-size chunk (BDAT 0 LAST)', () => {
    expect(new BdatReader(0).push(Buffer.alloc(0))).toEqual({ data: [], done: true });
    expect(new BdatReader(0).push(Buffer.from('QUIT\r\n'))).toMatchObject({ done: true, rest: Buffer.from('QUIT\r\n') });
  });

  it('rejects invalid sizes', () => {
    expect(() => new BdatReader(-1)).toThrow(RangeError);
    expect(() => new BdatReader(1.5)).toThrow(RangeError);
  });
});

describe('BdatReader: misuse', () => {
  it('throws when pushed after the chunk is complete', () => {
    const r = new BdatReader(1);
    expect(r.push(Buffer.from('x')).done).toBe(true);
    expect(() => r.push(Buffer.from('y'))).toThrow(/after end of chunk/);
  });
});
