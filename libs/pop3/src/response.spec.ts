// Tests of response.ts: exact status-line bytes, response codes, sanitizing,
// the 512-octet limit and Pop3ResponseError.

import { describe, expect, it } from 'vitest';
import { err, formatStatusLine, MAX_POP3_RESPONSE_LINE, ok, Pop3ResponseCode, Pop3ResponseError } from './response';

describe('ok / err', () => {
  it('produces the exact wire lines', () => {
    expect(ok()).toBe('+OK\r\n');
    expect(ok('2 320')).toBe('+OK 2 320\r\n');
    expect(err('no such message')).toBe('-ERR no such message\r\n');
  });

  it('puts the extended response code in brackets after -ERR (RFC 2449 §8)', () => {
    expect(err('maildrop already locked', Pop3ResponseCode.InUse)).toBe('-ERR [IN-USE] maildrop already locked\r\n');
    expect(err('try later', Pop3ResponseCode.SysTemp)).toBe('-ERR [SYS/TEMP] try later\r\n');
    expect(err('', Pop3ResponseCode.Auth)).toBe('-ERR [AUTH]\r\n');
  });

  it('names the RFC 2449 and RFC 3206 codes', () => {
    expect(Pop3ResponseCode).toEqual({
      InUse: 'IN-USE',
      LoginDelay: 'LOGIN-DELAY',
      Auth: 'AUTH',
      SysTemp: 'SYS/TEMP',
      SysPerm: 'SYS/PERM',
    });
  });

  it('turns CR, LF and other controls into spaces so no second line can be injected', () => {
    expect(err('bad\r\n+OK fake')).toBe('-ERR bad  +OK fake\r\n');
    expect(ok('a\u0000b\u007fc')).toBe('+OK a b c\r\n');
  });

  it('cuts text so the line fits in 512 octets, never inside a character', () => {
    const long = formatStatusLine('-ERR', 'é'.repeat(400), Pop3ResponseCode.SysPerm);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_POP3_RESPONSE_LINE);
    expect(long.endsWith('é\r\n')).toBe(true);
    expect(Buffer.byteLength(ok('x'.repeat(1000)))).toBe(MAX_POP3_RESPONSE_LINE);
  });
});

describe('Pop3ResponseError', () => {
  it('carries the reply, the code, the fault and the cause', () => {
    const cause = new Error('disk full');
    const error = new Pop3ResponseError('cannot open maildrop', { responseCode: Pop3ResponseCode.SysTemp, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('Pop3ResponseError');
    expect(error.message).toBe('cannot open maildrop');
    expect(error.text).toBe('cannot open maildrop');
    expect(error.responseCode).toBe('SYS/TEMP');
    expect(error.userFault).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.toResponse()).toBe('-ERR [SYS/TEMP] cannot open maildrop\r\n');
  });

  it('is the user fault by default, unless the code is SYS/*', () => {
    expect(new Pop3ResponseError('no such message').userFault).toBe(true);
    expect(new Pop3ResponseError('x', { responseCode: Pop3ResponseCode.Auth }).userFault).toBe(true);
    expect(new Pop3ResponseError('x', { responseCode: Pop3ResponseCode.SysPerm }).userFault).toBe(false);
    expect(new Pop3ResponseError('x', { responseCode: Pop3ResponseCode.SysPerm, userFault: true }).userFault).toBe(true);
  });

  it('has no cause property when none is given', () => {
    expect('cause' in new Pop3ResponseError('x')).toBe(false);
  });
});
