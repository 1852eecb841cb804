// Tests of sasl.ts (RFC 9051 §6.2.2, RFC 4959, RFC 4616) over @mail/pop3's decoding.
import { describe, expect, it } from 'vitest';
import { authenticationCancelled, decodeInitialResponse, decodePlainCredentials, formatSaslChallenge, parseAuthenticateResponse } from './sasl';

describe('AUTHENTICATE', () => {
  it('decodes initial responses, "=" being empty (RFC 4959 §3)', () => {
    expect(decodeInitialResponse('=')).toEqual(Buffer.alloc(0));
    expect(decodePlainCredentials(decodeInitialResponse(Buffer.from('\0fred\0secret').toString('base64')))).toEqual({ authcid: 'fred', password: 'secret' });
    expect(() => decodeInitialResponse('not base64!')).toThrow('BAD');
  });

  it('reads continuation lines, "*" cancelling (RFC 9051 §6.2.2)', () => {
    expect(parseAuthenticateResponse('*')).toEqual({ cancelled: true });
    expect(parseAuthenticateResponse(Buffer.from('YWJj'))).toEqual({ cancelled: false, data: Buffer.from('abc') });
    expect(authenticationCancelled('a1').message).toBe('BAD Authentication cancelled');
  });

  it('refuses malformed PLAIN messages with NO [AUTHENTICATIONFAILED], never echoing the secret', () => {
    const error = (() => {
      try {
        decodePlainCredentials(Buffer.from('fred\0secret'));
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(error.message.startsWith('NO [AUTHENTICATIONFAILED]')).toBe(true);
    expect(error.message).not.toContain('secret');
  });

  it('formats challenges as BASE64 continuation requests', () => {
    expect(formatSaslChallenge()).toBe('+ \r\n');
    expect(formatSaslChallenge(Buffer.from('hi'))).toBe('+ aGk=\r\n');
  });
});
