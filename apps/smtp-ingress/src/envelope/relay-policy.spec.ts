// Tests of relay-policy.ts: classification of relay tricks.
import { parseForwardPath } from '@mail/smtp';
import { describe, expect, it } from 'vitest';
import { describeRelayTrick, relayTrick } from './relay-policy';

const trick = (path: string) => relayTrick(parseForwardPath(path, { utf8: false }));

describe('relayTrick', () => {
  it('passes plain addresses', () => {
    expect(trick('<bob@example.test>')).toBeUndefined();
    expect(trick('<bob+tag@example.test>')).toBeUndefined();
    expect(trick('<"bob smith"@example.test>')).toBeUndefined();
    expect(trick('<Postmaster>')).toBeUndefined();
  });

  it('recognises each relay trick', () => {
    expect(trick('<@example.test:user@other.test>')).toBe('source-route');
    expect(trick('<@a.test,@example.test:user@example.test>')).toBe('source-route');
    expect(trick('<user%other.test@example.test>')).toBe('percent-hack');
    expect(trick('<"user%other.test"@example.test>')).toBe('percent-hack');
    expect(trick('<other.test!user@example.test>')).toBe('bang-path');
    expect(trick('<"user@other.test"@example.test>')).toBe('quoted-at');
  });

  it('describes each trick for the reply', () => {
    expect(describeRelayTrick('percent-hack')).toContain('%');
  });
});
