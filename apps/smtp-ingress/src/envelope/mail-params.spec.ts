// Tests of mail-params.ts: SIZE, BODY, SMTPUTF8, RET and ENVID.
import { parseEsmtpParams } from '@mail/smtp';
import { describe, expect, it } from 'vitest';
import { parseMailParams } from './mail-params';

const limits = { maxMessageSize: 1000, extended: true };
const parse = (text: string, extended = true) => parseMailParams(parseEsmtpParams(text), { ...limits, extended });
const error = (text: string, extended = true): string => {
  try {
    parse(text, extended);
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('parseMailParams', () => {
  it('defaults to 7BIT without SMTPUTF8', () => {
    expect(parse('')).toEqual({ bodyType: '7BIT', smtputf8: false });
  });

  it('keeps SIZE, BODY, SMTPUTF8, RET and ENVID (decoded from xtext)', () => {
    expect(parse('SIZE=999 BODY=8bitmime SMTPUTF8 RET=hdrs ENVID=QQ+2B1')).toEqual({
      declaredSize: 999,
      bodyType: '8BITMIME',
      smtputf8: true,
      dsnReturn: 'HDRS',
      dsnEnvelopeId: 'QQ+1',
    });
    expect(parse('BODY=BINARYMIME').bodyType).toBe('BINARYMIME');
  });

  it('refuses a declared size over the maximum with 552 5.3.4 (RFC 1870 §6.1)', () => {
    expect(error('SIZE=1001')).toMatch(/^552 5\.3\.4 /);
    expect(error('SIZE=99999999999999999999')).toMatch(/^552 5\.3\.4 /);
  });

  it('refuses malformed values with 501 5.5.4', () => {
    for (const bad of ['SIZE=abc', 'SIZE', 'BODY=9BIT', 'RET=ALL', 'SMTPUTF8=yes', 'ENVID=a+zz', `ENVID=${'x'.repeat(101)}`]) {
      expect(error(bad), bad).toMatch(/^501 5\.5\.4 /);
    }
  });

  it('refuses unknown parameters, and any parameter after HELO, with 555 5.5.4', () => {
    expect(error('AUTH=<>')).toMatch(/^555 5\.5\.4 .*AUTH/);
    expect(error('XFOO')).toMatch(/^555 5\.5\.4 /);
    expect(error('SIZE=10', false)).toMatch(/^555 5\.5\.4 /);
  });
});
