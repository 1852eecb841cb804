import { describe, expect, it } from 'vitest';
import { tlsRequirement } from './tls-policy';

describe('tlsRequirement', () => {
  const requires = tlsRequirement(['Bank.test', '.secure.test', ' ']);

  it('matches a listed domain exactly, case-insensitively', () => {
    expect(requires(['bank.test'])).toBe(true);
    expect(requires(['mail.bank.test'])).toBe(false);
  });

  it('matches subdomains of a dotted entry but not the parent itself', () => {
    expect(requires(['mx.secure.test'])).toBe(true);
    expect(requires(['secure.test'])).toBe(false);
  });

  it('is required when any domain sharing the destination requires it', () => {
    expect(requires(['other.test', 'bank.test'])).toBe(true);
    expect(tlsRequirement([])(['bank.test'])).toBe(false);
  });
});
