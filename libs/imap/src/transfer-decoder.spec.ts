// Tests of transfer-decoder.ts (RFC 2045 §6.7, §6.8; RFC 3516 §4.3).
import { describe, expect, it } from 'vitest';
import { createTransferDecoder, decodeTransferEncoding } from './transfer-decoder';

function chunked(encoding: string, text: string, size: number): string {
  const decoder = createTransferDecoder(encoding);
  const data = Buffer.from(text, 'latin1');
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(decoder.push(data.subarray(i, i + size)));
  out.push(decoder.end());
  return Buffer.concat(out).toString('utf8');
}

describe('transfer decoders', () => {
  it('decode base64 across chunk cuts, skipping line breaks', () => {
    const encoded = Buffer.from('Grüße aus Köln, wieder und wieder.')
      .toString('base64')
      .replace(/(.{10})/g, '$1\r\n');
    for (const size of [1, 3, 7, 100]) expect(chunked('BASE64', encoded, size)).toBe('Grüße aus Köln, wieder und wieder.');
  });

  it('decode quoted-printable: escapes, soft breaks, trailing padding', () => {
    const encoded = 'Gr=C3=BC=C3=9Fe   \r\nlong =\r\nline=20\r\nend';
    for (const size of [1, 2, 5, 100]) expect(chunked('QUOTED-PRINTABLE', encoded, size)).toBe('Grüße\r\nlong line \r\nend');
  });

  it('pass 7bit, 8bit and binary through and refuse unknown encodings with NO [UNKNOWN-CTE]', () => {
    expect(decodeTransferEncoding('8bit', Buffer.from('x')).toString()).toBe('x');
    expect(() => createTransferDecoder('x-uuencode')).toThrow('NO [UNKNOWN-CTE]');
  });
});
