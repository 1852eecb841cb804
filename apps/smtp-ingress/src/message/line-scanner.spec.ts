// Tests of line-scanner.ts: bare CR/LF and long lines in BDAT data.
import { describe, expect, it } from 'vitest';
import { LineScanner } from './line-scanner';

function scan(...chunks: string[]): { bare: boolean; longest: number } {
  const scanner = new LineScanner();
  for (const chunk of chunks) scanner.push(Buffer.from(chunk, 'latin1'));
  scanner.finish();
  return { bare: scanner.bareLineEndings, longest: scanner.longestLine };
}

describe('LineScanner', () => {
  it('accepts CRLF lines, also split across chunks', () => {
    expect(scan('a\r\nb\r\n')).toEqual({ bare: false, longest: 3 });
    expect(scan('a\r', '\nb\r\n')).toEqual({ bare: false, longest: 3 });
    expect(scan('no final line ending')).toEqual({ bare: false, longest: 20 });
  });

  it('reports bare LF and bare CR anywhere, including at the very end', () => {
    expect(scan('a\nb\r\n').bare).toBe(true);
    expect(scan('a\rb\r\n').bare).toBe(true);
    expect(scan('a\r', 'b').bare).toBe(true);
    expect(scan('a\r\n', '\n').bare).toBe(true);
    expect(scan('a\r').bare).toBe(true);
  });

  it('measures the longest line in octets including CRLF, as DotUnstuffer does, across chunks', () => {
    expect(scan(`${'x'.repeat(998)}\r\n`).longest).toBe(1000);
    expect(scan(`${'x'.repeat(999)}\r\n`).longest).toBe(1001);
    expect(scan('x'.repeat(600), `${'x'.repeat(399)}\r\n`, 'short\r\n').longest).toBe(1001);
    expect(scan('x'.repeat(1001)).longest).toBe(1001);
  });
});
