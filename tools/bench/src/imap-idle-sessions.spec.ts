import { describe, expect, it } from 'vitest';
import { sessionsPerSourceAddress, sourceAddress } from './imap-idle-sessions';

describe('sourceAddress', () => {
  it('starts at 127.0.0.2 and moves to the next address every sessionsPerSourceAddress sessions', () => {
    expect(sourceAddress(0)).toBe('127.0.0.2');
    expect(sourceAddress(sessionsPerSourceAddress - 1)).toBe('127.0.0.2');
    expect(sourceAddress(sessionsPerSourceAddress)).toBe('127.0.0.3');
  });

  it('stays inside 127.0.0.0/8 past 254 addresses', () => {
    expect(sourceAddress(254 * sessionsPerSourceAddress)).toBe('127.0.1.0');
  });
});
