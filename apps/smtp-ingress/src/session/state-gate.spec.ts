// Tests of state-gate.ts: the phases, the 503s naming what is missing, and the error budget.
import { parseCommand } from '@mail/smtp';
import { describe, expect, it } from 'vitest';
import { ClosingReplyError } from './session-errors';
import type { AuthAvailability } from '../auth/auth-policy';
import { ErrorBudget, admitCommand, type GateSettings } from './state-gate';
import { newSessionState, sessionPhase, type ListenerKind, type SessionState } from './session-state';

const mailParams = { bodyType: '7BIT', smtputf8: false } as const;

function state(phase: 'greeted' | 'ready' | 'mail' | 'rcpt' | 'bdat', listener: ListenerKind = 'inbound'): SessionState {
  const s = newSessionState('s', listener, '192.0.2.1', 1);
  if (phase === 'greeted') return s;
  s.helo = { name: 'client.test', extended: true };
  if (phase === 'ready') return s;
  s.transaction = { mailFrom: 'a@b.test', params: mailParams, recipients: [] };
  if (phase === 'mail') return s;
  s.transaction.recipients.push({ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test' });
  if (phase === 'bdat') s.transaction.bdatBody = {} as never;
  return s;
}

const gate = (tlsAvailable = true, auth: AuthAvailability = 'offered'): GateSettings => ({ tlsAvailable, auth, maxMessagesPerConnection: 2, hostname: 'mx.example.test' });

function refusal(s: SessionState, line: string, tlsAvailable = true, auth: AuthAvailability = 'offered'): string | undefined {
  try {
    admitCommand(s, parseCommand(line), gate(tlsAvailable, auth));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('sessionPhase', () => {
  it('derives each phase from the state', () => {
    for (const phase of ['greeted', 'ready', 'mail', 'rcpt', 'bdat'] as const) expect(sessionPhase(state(phase))).toBe(phase);
  });
});

describe('admitCommand', () => {
  it('requires HELO/EHLO before MAIL and names what is missing', () => {
    expect(refusal(state('greeted'), 'MAIL FROM:<a@b.test>')).toBe('503 5.5.1 Bad sequence of commands: send HELO or EHLO first');
    expect(refusal(state('ready'), 'MAIL FROM:<a@b.test>')).toBeUndefined();
    expect(refusal(state('mail'), 'MAIL FROM:<a@b.test>')).toMatch(/^503 5\.5\.1 .*sender already given/);
  });

  it('orders RCPT, DATA and BDAT after MAIL and a recipient', () => {
    expect(refusal(state('ready'), 'RCPT TO:<bob@example.test>')).toMatch(/^503 5\.5\.1 .*send MAIL FROM first/);
    expect(refusal(state('mail'), 'RCPT TO:<bob@example.test>')).toBeUndefined();
    expect(refusal(state('mail'), 'DATA')).toMatch(/^503 5\.5\.1 .*send a valid RCPT TO first/);
    expect(refusal(state('mail'), 'BDAT 10 LAST')).toMatch(/^503 5\.5\.1 .*send a valid RCPT TO first/);
    expect(refusal(state('rcpt'), 'DATA')).toBeUndefined();
    expect(refusal(state('rcpt'), 'BDAT 10')).toBeUndefined();
  });

  it('keeps BDAT transactions free of DATA and RCPT (RFC 3030 §2)', () => {
    expect(refusal(state('bdat'), 'DATA')).toMatch(/DATA not allowed after BDAT/);
    expect(refusal(state('bdat'), 'RCPT TO:<carol@example.test>')).toMatch(/RCPT not allowed during BDAT/);
    expect(refusal(state('bdat'), 'BDAT 5 LAST')).toBeUndefined();
  });

  it('sends BODY=BINARYMIME to BDAT only (RFC 3030 §3)', () => {
    const s = state('rcpt');
    s.transaction = { mailFrom: '', recipients: s.transaction?.recipients ?? [], params: { bodyType: 'BINARYMIME', smtputf8: false } };
    expect(refusal(s, 'DATA')).toMatch(/BINARYMIME requires BDAT/);
    expect(refusal(s, 'BDAT 1 LAST')).toBeUndefined();
  });

  it('allows STARTTLS once, after EHLO, outside a transaction, when configured', () => {
    expect(refusal(state('ready'), 'STARTTLS', false)).toBe('502 5.5.1 STARTTLS not available');
    expect(refusal(state('greeted'), 'STARTTLS')).toMatch(/send EHLO first/);
    expect(refusal(state('mail'), 'STARTTLS')).toMatch(/during a mail transaction/);
    const tls = state('ready');
    tls.tls = true;
    expect(refusal(tls, 'STARTTLS')).toMatch(/TLS already active/);
    expect(refusal(state('ready'), 'STARTTLS')).toBeUndefined();
  });

  it('requires authentication before MAIL on the submission listeners (RFC 4954 §6, RFC 8314 §3.3)', () => {
    for (const listener of ['submission', 'submissions'] as const) {
      expect(refusal(state('ready', listener), 'MAIL FROM:<a@b.test>')).toBe('530 5.7.0 Authentication required');
      const authed = state('ready', listener);
      authed.authUser = 'alice@example.test';
      expect(refusal(authed, 'MAIL FROM:<a@b.test>')).toBeUndefined();
    }
  });

  it('lets the session commands through in every phase', () => {
    for (const phase of ['greeted', 'ready', 'mail', 'rcpt', 'bdat'] as const) {
      for (const line of ['RSET', 'NOOP', 'QUIT', 'HELP', 'VRFY bob', 'EHLO x.test', 'HELO x.test']) expect(refusal(state(phase), line)).toBeUndefined();
    }
  });

  it('answers unknown verbs with 500 5.5.2 and closes on HTTP requests', () => {
    expect(refusal(state('ready'), 'FOO bar')).toBe('500 5.5.2 Command unrecognized');
    expect(() => admitCommand(state('greeted'), parseCommand('GET / HTTP/1.1'), gate(false))).toThrow(ClosingReplyError);
  });

  it('offers AUTH where advertised, after EHLO, outside a transaction, once (RFC 4954 §4)', () => {
    expect(refusal(state('ready'), 'AUTH PLAIN', true, 'not-offered')).toBe('502 5.5.1 AUTH not available');
    expect(refusal(state('ready', 'submission'), 'AUTH PLAIN', true, 'needs-tls')).toMatch(/^538 5\.7\.11 Encryption required/);
    expect(refusal(state('greeted', 'submission'), 'AUTH PLAIN')).toMatch(/^503 5\.5\.1 .*send EHLO first/);
    expect(refusal(state('mail', 'submission'), 'AUTH PLAIN')).toMatch(/^503 5\.5\.1 .*during a mail transaction/);
    const authed = state('ready', 'submission');
    authed.authUser = 'bob@example.test';
    expect(refusal(authed, 'AUTH LOGIN')).toMatch(/^503 5\.5\.1 .*already authenticated/);
    expect(refusal(state('ready', 'submission'), 'AUTH LOGIN')).toBeUndefined();
  });

  it('closes with 421 4.7.0 at MAIL once the connection sent its message limit', () => {
    const s = state('ready');
    s.messages = 1;
    expect(refusal(s, 'MAIL FROM:<a@b.test>')).toBeUndefined();
    s.messages = 2;
    expect(() => admitCommand(s, parseCommand('MAIL FROM:<a@b.test>'), gate())).toThrow(ClosingReplyError);
    expect(refusal(s, 'MAIL FROM:<a@b.test>')).toBe('421 4.7.0 mx.example.test Message limit per connection reached (2), closing connection; reconnect to send more');
  });
});

describe('ErrorBudget', () => {
  it('says stop at the limit', () => {
    const budget = new ErrorBudget(3);
    expect([budget.recordError(), budget.recordError(), budget.recordError()]).toEqual([false, false, true]);
  });
});
