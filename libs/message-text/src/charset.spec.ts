// Tests of charset.ts: labelled charsets, what ISO-8859-1 and US-ASCII labels
// are read as, and unlabeled or unknown octets.
import { describe, expect, it } from 'vitest';
import { decodeCharset, decodeUnlabeled } from './charset';

describe('decodeCharset', () => {
  it('decodes the labelled charset (RFC 2046 §4.1.2), ISO-8859-1 as windows-1252', () => {
    expect(decodeCharset(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x80]), 'ISO-8859-1')).toBe('café€');
    expect(decodeCharset(Buffer.from([0x82, 0xa0]), 'Shift_JIS')).toBe('あ');
    expect(decodeCharset(Buffer.from('naïve', 'utf8'), ' UTF-8 ')).toBe('naïve');
  });

  it('reads 8-bit octets under a US-ASCII, unknown or missing label as UTF-8 when they are, else windows-1252', () => {
    expect(decodeCharset(Buffer.from('naïve', 'utf8'), 'us-ascii')).toBe('naïve');
    expect(decodeCharset(Buffer.from('naïve', 'latin1'), 'x-unknown')).toBe('naïve');
    expect(decodeCharset(Buffer.from('naïve', 'latin1'), undefined)).toBe('naïve');
    expect(decodeUnlabeled(Buffer.from('plain'))).toBe('plain');
  });
});
