import { describe, expect, it } from 'vitest';
import { newSessionState, type ListenerKind } from '../session/session-state';
import { authAvailability, authMechanism, isLoopback } from './auth-policy';

describe('authAvailability', () => {
  const state = (listener: ListenerKind, ip: string, tls: boolean) => ({ ...newSessionState('s', listener, ip, 1), tls });

  it('offers AUTH on submission over TLS only', () => {
    expect(authAvailability(state('submission', '192.0.2.1', true), false)).toBe('offered');
    expect(authAvailability(state('submission', '192.0.2.1', false), false)).toBe('needs-tls');
    expect(authAvailability(state('submission', '127.0.0.1', false), false)).toBe('needs-tls');
  });

  it('offers AUTH on submissions, where TLS is active from the first byte (RFC 8314 §3.3)', () => {
    expect(authAvailability(state('submissions', '192.0.2.1', true), false)).toBe('offered');
  });

  it('allows plain-text AUTH for loopback clients when configured, and only for them', () => {
    expect(authAvailability(state('submission', '127.0.0.1', false), true)).toBe('offered');
    expect(authAvailability(state('submission', '::1', false), true)).toBe('offered');
    expect(authAvailability(state('submission', '192.0.2.1', false), true)).toBe('needs-tls');
  });

  it('never offers AUTH on the inbound listener', () => {
    expect(authAvailability(state('inbound', '192.0.2.1', true), true)).toBe('not-offered');
    expect(authAvailability(state('inbound', '127.0.0.1', false), true)).toBe('not-offered');
  });
});

describe('auth helpers', () => {
  it('knows loopback addresses and its mechanisms', () => {
    expect([isLoopback('127.0.0.1'), isLoopback('127.8.9.10'), isLoopback('::1'), isLoopback('128.0.0.1'), isLoopback('::2')]).toEqual([true, true, true, false, false]);
    expect([authMechanism('plain'), authMechanism('LOGIN'), authMechanism('CRAM-MD5')]).toEqual(['PLAIN', 'LOGIN', undefined]);
  });
});
