// Tests of wire-string.ts (RFC 9051 §4.3, §9).
import { describe, expect, it } from 'vitest';
import { formatAstring, formatNstring, formatString, isAtom, WireWriter } from './wire-string';

const rev1 = { utf8: false };
const rev2 = { utf8: true };

describe('wire strings', () => {
  it('quote what is safe, escaping quoted-specials', () => {
    expect(formatString('hello world', rev1).toString()).toBe('"hello world"');
    expect(formatString('say "hi" \\o/', rev1).toString()).toBe('"say \\"hi\\" \\\\o/"');
  });

  it('send CR, LF and 8-bit text to IMAP4rev1 clients as literals, UTF-8 quoted to IMAP4rev2', () => {
    expect(formatString('a\r\nb', rev2).toString()).toBe('{4}\r\na\r\nb');
    expect(formatString('Grüße', rev1).toString('utf8')).toBe('{7}\r\nGrüße');
    expect(formatString('Grüße', rev2).toString('utf8')).toBe('"Grüße"');
    expect(formatString(Buffer.from([0x66, 0xff]), rev2).toString('latin1')).toBe('{2}\r\nf\xff');
    expect(formatString('x'.repeat(2000), rev2).subarray(0, 7).toString()).toBe('{2000}\r');
  });

  it('drop NUL, which no string may carry (RFC 9051 §4.3)', () => {
    expect(formatString('a\0b', rev1).toString()).toBe('"ab"');
  });

  it('write astrings bare when they are atoms, and NIL as a string', () => {
    expect(formatAstring('INBOX', rev1).toString()).toBe('INBOX');
    expect(formatAstring('Sent Items', rev1).toString()).toBe('"Sent Items"');
    expect(formatAstring('NIL', rev1).toString()).toBe('"NIL"');
    expect(formatAstring('', rev1).toString()).toBe('""');
    expect(formatNstring(null, rev1).toString()).toBe('NIL');
    expect(isAtom('a]')).toBe(false);
  });

  it('gather pieces in a writer', () => {
    const w = new WireWriter(rev1).raw('(').string('a').raw(' ').nstring(undefined).raw(')');
    expect(w.toBuffer().toString()).toBe('("a" NIL)');
    expect(w.length).toBe(9);
  });
});
