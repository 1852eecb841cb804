import { describe, expect, it } from 'vitest';
import { SmtpConnectionError } from './errors';
import { transactionOutcome } from './transaction-outcome';
import type { TransactionReplies } from './transaction';

const ok = { code: 250, enhanced: '2.0.0', lines: ['OK'] };
const go = { code: 354, lines: ['go ahead'] };
const lost = new SmtpConnectionError('connection closed by the server');

describe('transactionOutcome', () => {
  it('is accepted on a 2xx after the end of data', () => {
    expect(transactionOutcome({ mail: ok, rcpt: [ok], dataStart: go, endOfDataSentAt: 1, dataEnd: ok })).toEqual({ kind: 'accepted', reply: ok });
  });

  it('names the first reply that refused, and where', () => {
    const busy = { code: 421, enhanced: '4.3.2', lines: ['shutting down'] };
    const unknown = { code: 550, enhanced: '5.1.1', lines: ['no such user'] };
    // RFC 2920 §3.1: after a pipelined MAIL refused with 421 the server may close before the RCPT replies
    expect(transactionOutcome({ mail: busy, rcpt: [undefined], failure: lost })).toEqual({ kind: 'refused', stage: 'MAIL', reply: busy });
    expect(transactionOutcome({ mail: ok, rcpt: [ok, unknown] })).toEqual({ kind: 'refused', stage: 'RCPT', reply: unknown });
    expect(transactionOutcome({ mail: ok, rcpt: [ok], dataStart: { code: 451, lines: ['later'] } })).toMatchObject({ kind: 'refused', stage: 'DATA' });
    expect(transactionOutcome({ mail: ok, rcpt: [ok], dataStart: go, endOfDataSentAt: 1, dataEnd: unknown })).toMatchObject({ kind: 'refused', stage: 'end of data' });
  });

  it('tells a connection lost before the end-of-data mark from one lost after it (RFC 1047)', () => {
    const before: TransactionReplies = { mail: ok, rcpt: [ok], dataStart: go, failure: lost };
    expect(transactionOutcome(before)).toEqual({ kind: 'failed', error: lost });
    expect(transactionOutcome({ ...before, endOfDataSentAt: 1 })).toEqual({ kind: 'unconfirmed', error: lost });
  });
});
