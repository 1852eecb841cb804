import { describe, expect, it } from 'vitest';
import { SmtpReplyError } from './reply';
import { decodeSaslInitialResponse, formatSaslChallenge, parseSaslLoginField, parseSaslPlain, parseSaslResponse, saslCancelled, SaslLoginPrompt } from './sasl';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function replyOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SmtpReplyError) return error.message;
    throw error;
  }
  throw new Error('expected an SmtpReplyError');
}

describe('SASL responses (RFC 4954 §4)', () => {
  it('decodes initial responses, "=" being the empty one', () => {
    expect(decodeSaslInitialResponse(b64('\0bob\0pw')).toString()).toBe('\0bob\0pw');
    expect(decodeSaslInitialResponse('=')).toEqual(Buffer.alloc(0));
    expect(replyOf(() => decodeSaslInitialResponse('abc'))).toBe('501 5.5.2 Cannot decode BASE64 response');
  });

  it('reads continuation lines: "*" cancels, empty is an empty response, junk is 501', () => {
    expect(parseSaslResponse('*')).toEqual({ cancelled: true });
    expect(parseSaslResponse('')).toEqual({ cancelled: false, data: Buffer.alloc(0) });
    expect(parseSaslResponse(b64('bob'))).toEqual({ cancelled: false, data: Buffer.from('bob') });
    expect(replyOf(() => parseSaslResponse('Ym9i Ym9i'))).toMatch(/^501 5\.5\.2 /);
    expect(replyOf(() => parseSaslResponse('bob!'))).toMatch(/^501 5\.5\.2 /);
    expect(saslCancelled().message).toBe('501 5.7.0 Authentication canceled');
  });

  it('encodes challenges, the LOGIN prompts included', () => {
    expect(formatSaslChallenge(SaslLoginPrompt.username)).toBe('VXNlcm5hbWU6');
    expect(formatSaslChallenge(SaslLoginPrompt.password)).toBe('UGFzc3dvcmQ6');
    expect(formatSaslChallenge()).toBe('');
  });
});

describe('parseSaslPlain (RFC 4616 §2)', () => {
  it('splits authzid, authcid and password', () => {
    expect(parseSaslPlain(Buffer.from('\0bob@example.test\0hungry'))).toEqual({ authcid: 'bob@example.test', password: 'hungry' });
    expect(parseSaslPlain(Buffer.from('bob\0bob\0pässwörd'))).toEqual({ authzid: 'bob', authcid: 'bob', password: 'pässwörd' });
  });

  it.each([
    ['no NUL', 'bobhungry', 'expected authzid NUL'],
    ['one NUL', 'bob\0hungry', 'expected authzid NUL'],
    ['three NULs', '\0bob\0hun\0gry', 'expected authzid NUL'],
    ['an empty user', '\0\0hungry', 'empty user name or password'],
    ['an empty password', '\0bob\0', 'empty user name or password'],
    ['a field over 255 octets', `\0${'b'.repeat(256)}\0pw`, 'longer than 255'],
  ])('refuses %s without echoing the secret', (_name, message, why) => {
    const reply = replyOf(() => parseSaslPlain(Buffer.from(message)));
    expect(reply).toMatch(/^501 5\.5\.2 Malformed PLAIN response: /);
    expect(reply).toContain(why);
    expect(reply).not.toContain('hungry');
  });

  it('refuses invalid UTF-8', () => {
    expect(replyOf(() => parseSaslPlain(Buffer.from([0, 0x62, 0, 0xff, 0xfe])))).toContain('password is not UTF-8');
  });
});

describe('parseSaslLoginField', () => {
  it('takes 1-255 octets of UTF-8', () => {
    expect(parseSaslLoginField(Buffer.from('bob@example.test'), 'user name')).toBe('bob@example.test');
    expect(replyOf(() => parseSaslLoginField(Buffer.alloc(0), 'password'))).toMatch(/^501 5\.5\.2 Malformed LOGIN response: the password must be/);
    expect(replyOf(() => parseSaslLoginField(Buffer.from([0xff]), 'user name'))).toContain('not UTF-8');
  });
});

describe('SASL: counterexamples found by sasl.fuzz.spec.ts', () => {
  it('keeps a leading U+FEFF in a PLAIN or LOGIN field (it is not a byte-order mark there)', () => {
    expect(parseSaslPlain(Buffer.from('\0bob\0\uFEFFpw', 'utf8'))).toEqual({ authcid: 'bob', password: '\uFEFFpw' });
    expect(parseSaslLoginField(Buffer.from('\uFEFFbob', 'utf8'), 'user name')).toBe('\uFEFFbob');
  });
});
