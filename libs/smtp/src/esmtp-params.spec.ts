import { describe, it, expect } from 'vitest';
import { decodeXtext, encodeXtext, parseEsmtpParams } from './esmtp-params';
import { SmtpReplyError } from './reply';

describe('parseEsmtpParams (RFC 5321 §4.1.2)', () => {
  it('uppercases keywords and keeps values', () => {
    expect([...parseEsmtpParams(' size=10 Body=8bitmime smtputf8')]).toEqual([
      ['SIZE', '10'],
      ['BODY', '8bitmime'],
      ['SMTPUTF8', true],
    ]);
    expect(parseEsmtpParams('').size).toBe(0);
  });

  it('rejects bad keywords, empty or invalid values and duplicates with 501 5.5.4', () => {
    for (const bad of ['-X=1', 'SIZE=', 'A=b=c', 'X_Y=1', 'SIZE=1 SIZE=2', 'NOTE=ü']) {
      expect(() => parseEsmtpParams(bad), bad).toThrow(SmtpReplyError);
      expect(() => parseEsmtpParams(bad), bad).toThrow(expect.objectContaining({ code: 501, enhanced: '5.5.4' }));
    }
  });

  it('allows UTF-8 values with SMTPUTF8 (RFC 6531 §3.3)', () => {
    expect(parseEsmtpParams('NOTE=ü', { utf8: true }).get('NOTE')).toBe('ü');
  });
});

describe('xtext (RFC 3461 §4)', () => {
  it('decodes hexchars', () => {
    expect(decodeXtext('rfc822;user+2Btag+3D1@example.test')).toBe('rfc822;user+tag=1@example.test');
    expect(decodeXtext('a+2b')).toBe('a+'); // lower-case hex tolerated
    expect(decodeXtext('+C3+BC')).toBe('ü');
  });

  it('rejects malformed xtext', () => {
    expect(() => decodeXtext('a+2')).toThrow(SmtpReplyError);
    expect(() => decodeXtext('a+ZZ')).toThrow(SmtpReplyError);
    expect(() => decodeXtext('a=b')).toThrow(SmtpReplyError);
    expect(() => decodeXtext('a b')).toThrow(SmtpReplyError);
  });

  it('round-trips through encodeXtext', () => {
    for (const s of ['plain', 'a+b=c d', 'ü ∑ 😀', '\x00\x7f', '']) {
      const enc = encodeXtext(s);
      expect(enc).toMatch(/^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$/);
      expect(decodeXtext(enc)).toBe(s);
    }
  });
});
