// Tests of loopback.ts: which clients may log in without TLS when IMAP_ALLOW_PLAINTEXT_AUTH is set.
import { describe, expect, it } from 'vitest';
import { isLoopback } from './loopback';

describe('isLoopback', () => {
  it('knows 127/8, ::1 and IPv4-mapped loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
  });

  it('refuses every other address', () => {
    expect(['10.0.0.1', '192.0.2.127', '::2', '::ffff:10.0.0.1', '2001:db8::1', '1270.0.0.1'].some(isLoopback)).toBe(false);
  });
});
