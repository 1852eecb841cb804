// Tests of sasl-plain.ts: RFC 4616 PLAIN messages, good and malformed.

import { describe, expect, it } from 'vitest';
import { Pop3ResponseError } from './response';
import { decodeSaslPlain, parseSaslPlainMessage } from './sasl-plain';

const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');

function rejection(response: string): Pop3ResponseError {
  try {
    decodeSaslPlain(response);
  } catch (error) {
    if (error instanceof Pop3ResponseError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('decodeSaslPlain', () => {
  it('decodes the RFC 4616 §4 examples', () => {
    expect(decodeSaslPlain(b64('\0tim\0tanstaaftanstaaf'))).toEqual({ authcid: 'tim', password: 'tanstaaftanstaaf' });
    expect(decodeSaslPlain(b64('Ursel\0Kurt\0xipj3plmq'))).toEqual({
      authzid: 'Ursel',
      authcid: 'Kurt',
      password: 'xipj3plmq',
    });
  });

  it('decodes UTF-8 and keeps spaces in the password', () => {
    expect(decodeSaslPlain(b64('\0jörg\0pass word é'))).toEqual({ authcid: 'jörg', password: 'pass word é' });
  });

  it('names what is wrong', () => {
    expect(rejection('not base64!').text).toContain('not valid BASE64');
    expect(rejection('=').text).toContain('the response is empty');
    expect(rejection(b64('user\0pass')).text).toContain('exactly two NUL separators');
    expect(rejection(b64('a\0b\0c\0d')).text).toContain('exactly two NUL separators');
    expect(rejection(b64('\0\0pass')).text).toContain('authentication identity is empty');
    expect(rejection(b64('\0user\0')).text).toContain('password is empty');
    expect(rejection(b64(`\0user\0${'p'.repeat(256)}`)).text).toContain('longer than 255 octets');
    expect(rejection(b64(Buffer.from([0, 0x75, 0, 0xff, 0xfe]))).text).toContain('password is not valid UTF-8');
  });

  it('never puts the password in the error text and marks it the user fault', () => {
    const error = rejection(b64('\0user\0secret-password\0'));
    expect(error.text).not.toContain('secret-password');
    expect(error.userFault).toBe(true);
  });

  it('keeps the decoder error as the cause of a UTF-8 failure', () => {
    const error = rejection(b64(Buffer.from([0, 0xc3, 0, 0x70])));
    expect(error.text).toContain('authentication identity is not valid UTF-8');
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe('parseSaslPlainMessage', () => {
  it('works on decoded octets', () => {
    expect(parseSaslPlainMessage(new Uint8Array(Buffer.from('\0u\0p')))).toEqual({ authcid: 'u', password: 'p' });
  });
});

describe('parseSaslPlainMessage: counterexample found by sasl-plain.fuzz.spec.ts', () => {
  it('keeps a leading U+FEFF in a field (it is not a byte-order mark there)', () => {
    expect(parseSaslPlainMessage(Buffer.from('\uFEFFal\0al\0\uFEFFpw', 'utf8'))).toEqual({ authzid: '\uFEFFal', authcid: 'al', password: '\uFEFFpw' });
  });
});
