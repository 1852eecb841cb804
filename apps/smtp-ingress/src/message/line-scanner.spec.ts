// Tests of line-scanner.ts: bare CR/LF and long lines in BDAT data.
import { describe, expect, it } from 'vitest';
import { LineScanner } from './line-scanner';

function scan(...chunks: string[]): { bare: boolean; long: boolean } {
  const scanner = new LineScanner();
  for (const chunk of chunks) scanner.push(Buffer.from(chunk, 'latin1'));
  scanner.finish();
  return { bare: scanner.bareLineEndings, long: scanner.longLines };
}

describe('LineScanner', () => {
  it('accepts CRLF lines, also split across chunks', () => {
    expect(scan('a\r\nb\r\n')).toEqual({ bare: false, long: false });
    expect(scan('a\r', '\nb\r\n')).toEqual({ bare: false, long: false });
    expect(scan('no final line ending')).toEqual({ bare: false, long: false });
  });

  it('reports bare LF and bare CR anywhere, including at the very end', () => {
    expect(scan('a\nb\r\n').bare).toBe(true);
    expect(scan('a\rb\r\n').bare).toBe(true);
    expect(scan('a\r', 'b').bare).toBe(true);
    expect(scan('a\r\n', '\n').bare).toBe(true);
    expect(scan('a\r').bare).toBe(true);
  });

  it('reports lines over 1000 octets including CRLF (RFC 5321 §4.5.3.1.6)', () => {
    expect(scan(`${'x'.repeat(998)}\r\n`).long).toBe(false);
    expect(scan(`${'x'.repeat(999)}\r\n`).long).toBe(true);
    expect(scan('x'.repeat(600), `${'x'.repeat(399)}\r\n`).long).toBe(true);
    expect(scan('x'.repeat(1001)).long).toBe(true);
  });
});
