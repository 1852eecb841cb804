import { describe, expect, it } from 'vitest';
import { localRefusal, mailParams, rcptParams, type TransactionRequest } from './transaction';
import { SmtpSession, type SmtpTimeouts } from './session';

const timeouts: SmtpTimeouts = { connectMs: 1, greetingMs: 1, commandMs: 1, dataInitMs: 1, dataBlockMs: 1, dataEndMs: 1 };
/** A session as EHLO left it: only its extensions matter here. */
const session = (...extensions: string[]) =>
  new SmtpSession(
    null as never,
    timeouts,
    new Map(
      extensions.map((e) => {
        const [k = '', ...p] = e.split(' ');
        return [k, p];
      }),
    ),
  );

const request: TransactionRequest = {
  mailFrom: 'alice@local.test',
  recipients: ['bob@remote.test'],
  size: 100,
  eightBit: false,
  smtputf8: false,
  dsn: { ret: 'HDRS', envid: 'id+1 x', recipients: new Map([['bob@remote.test', { notify: ['SUCCESS', 'FAILURE'], orcpt: 'rfc822;Bob=Remote@remote.test' }]]) },
  content: async function* () {
    yield Buffer.alloc(0);
  },
};

describe('localRefusal', () => {
  it('sends a plain message anywhere', () => {
    expect(localRefusal(session(), request)).toBeUndefined();
  });

  it('returns an SMTPUTF8 message instead of sending it to a server without SMTPUTF8 (RFC 6531 §3.2)', () => {
    expect(localRefusal(session('8BITMIME'), { ...request, smtputf8: true })).toMatchObject({ code: 554, enhanced: '5.6.9' });
    expect(localRefusal(session('8BITMIME'), { ...request, recipients: ['j\u00fcrgen@remote.test'] })).toMatchObject({ code: 553, enhanced: '5.6.7' });
    expect(localRefusal(session('SMTPUTF8'), { ...request, smtputf8: true })).toBeUndefined();
  });

  it('returns 8-bit content instead of sending it to a server without 8BITMIME (RFC 6152 §3)', () => {
    expect(localRefusal(session(), { ...request, eightBit: true })).toMatchObject({ code: 554, enhanced: '5.6.3' });
    expect(localRefusal(session('8BITMIME'), { ...request, eightBit: true })).toBeUndefined();
  });

  it('does not send more than the SIZE limit (RFC 1870 §6)', () => {
    expect(localRefusal(session('SIZE 50'), request)).toMatchObject({ code: 552, enhanced: '5.3.4' });
  });
});

describe('DSN parameters (RFC 3461 §5.2.1)', () => {
  it('passes RET, ENVID, NOTIFY and ORCPT (xtext) to a server that offers DSN', () => {
    expect(mailParams(session('DSN', 'SIZE 1000'), request)).toEqual({ SIZE: '100', RET: 'HDRS', ENVID: 'id+2B1+20x' });
    expect(rcptParams(session('DSN'), request, 'bob@remote.test')).toEqual({ NOTIFY: 'SUCCESS,FAILURE', ORCPT: 'rfc822;Bob+3DRemote@remote.test' });
  });

  it('sends none of them to a server without DSN', () => {
    expect(mailParams(session('8BITMIME'), { ...request, eightBit: true })).toEqual({ BODY: '8BITMIME' });
    expect(rcptParams(session(), request, 'bob@remote.test')).toBeUndefined();
  });
});
