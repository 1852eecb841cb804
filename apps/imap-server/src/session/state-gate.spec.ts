// Tests of state-gate.ts: commands admitted per RFC 9051 state.
import { describe, expect, it } from 'vitest';
import { admitCommand } from './state-gate';

describe('admitCommand', () => {
  const notAuthenticated = { kind: 'not-authenticated' } as const;
  const authenticated = { kind: 'authenticated', user: 'bob@example.test' } as const;

  it('admits the any-state commands everywhere but in logout', () => {
    for (const state of [notAuthenticated, authenticated]) expect(() => admitCommand(state, 'NOOP', 'a1')).not.toThrow();
    expect(() => admitCommand({ kind: 'logout' }, 'NOOP', 'a1')).toThrow(/not valid/);
  });

  it('keeps mailbox commands behind login and message commands behind SELECT', () => {
    expect(() => admitCommand(notAuthenticated, 'SELECT', 'a1')).toThrow(/log in first/);
    expect(() => admitCommand(authenticated, 'FETCH', 'a2')).toThrow(/no mailbox selected/);
    expect(() => admitCommand(authenticated, 'LOGIN', 'a3')).toThrow(/already authenticated/);
    expect(() => admitCommand(authenticated, 'SELECT', 'a4')).not.toThrow();
  });

  it('answers BAD with the tag', () => {
    try {
      admitCommand(notAuthenticated, 'FETCH', 'x9');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 'BAD', tag: 'x9' });
    }
  });
});
