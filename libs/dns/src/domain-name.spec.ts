import { describe, it, expect } from 'vitest';
import { normalizeDomainName } from './domain-name';

describe('normalizeDomainName', () => {
  it('lower-cases and drops the trailing dot; the root is "."', () => {
    expect(normalizeDomainName('Mail.Example.COM.')).toBe('mail.example.com');
    expect(normalizeDomainName('.')).toBe('.');
    expect(normalizeDomainName('')).toBe('.');
  });
});
