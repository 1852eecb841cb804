// Tests of state-gate.ts: the command table of RFC 1939 §3-6 and the error budget.
import { describe, expect, it } from 'vitest';
import { Pop3ResponseError, parsePop3Command } from '@mail/pop3';
import { ErrorBudget, admitCommand } from './state-gate';
import type { Pop3State } from './session-state';

function refusal(state: Pop3State, line: string): string | undefined {
  try {
    admitCommand(state, parsePop3Command(line));
    return undefined;
  } catch (error) {
    if (error instanceof Pop3ResponseError) return error.toResponse();
    throw error;
  }
}

describe('admitCommand', () => {
  it.each(['USER bob@example.test', 'PASS x', 'APOP bob c4c9334bac560ecc979e58001b3e22fb', 'AUTH PLAIN', 'STLS', 'CAPA', 'QUIT'])('admits %s in AUTHORIZATION', (line) =>
    expect(refusal('AUTHORIZATION', line)).toBeUndefined(),
  );

  it.each(['STAT', 'LIST', 'LIST 1', 'RETR 1', 'DELE 1', 'NOOP', 'RSET', 'TOP 1 0', 'UIDL', 'CAPA', 'QUIT'])('admits %s in TRANSACTION', (line) =>
    expect(refusal('TRANSACTION', line)).toBeUndefined(),
  );

  it.each([
    ['AUTHORIZATION', 'STAT', '-ERR STAT not allowed in AUTHORIZATION state\r\n'],
    ['AUTHORIZATION', 'RETR 1', '-ERR RETR not allowed in AUTHORIZATION state\r\n'],
    ['AUTHORIZATION', 'NOOP', '-ERR NOOP not allowed in AUTHORIZATION state\r\n'],
    ['TRANSACTION', 'USER bob', '-ERR USER not allowed in TRANSACTION state\r\n'],
    ['TRANSACTION', 'PASS x', '-ERR PASS not allowed in TRANSACTION state\r\n'],
    ['TRANSACTION', 'STLS', '-ERR STLS not allowed in TRANSACTION state\r\n'],
    ['TRANSACTION', 'AUTH PLAIN', '-ERR AUTH not allowed in TRANSACTION state\r\n'],
    ['UPDATE', 'QUIT', '-ERR QUIT not allowed in UPDATE state\r\n'],
  ] as const)('refuses in %s: %s', (state, line, reply) => {
    expect(refusal(state, line)).toBe(reply);
  });

  it('answers unknown commands the same way in every state', () => {
    expect(refusal('AUTHORIZATION', 'EHLO x')).toBe('-ERR unknown command\r\n');
    expect(refusal('TRANSACTION', 'XYZZ')).toBe('-ERR unknown command\r\n');
  });
});

describe('ErrorBudget', () => {
  it('says to close at the limit', () => {
    const budget = new ErrorBudget(3);
    expect(budget.recordError()).toBe(false);
    expect(budget.recordError()).toBe(false);
    expect(budget.recordError()).toBe(true);
  });
});
