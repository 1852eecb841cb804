/** Unit tests of account-address.ts: which addresses are accounts, and how they are normalized. */
import { describe, expect, it } from 'vitest';
import { normalizeDomain, parseAccountAddress } from './account-address';

describe('parseAccountAddress', () => {
  it('lower-cases both parts (case-insensitive accounts)', () => {
    expect(parseAccountAddress('Bob.Smith@Example.TEST')).toEqual({ address: 'bob.smith@example.test', localPart: 'bob.smith', domain: 'example.test' });
  });

  it('accepts RFC 5321 dot-strings and UTF-8 local parts (RFC 6531)', () => {
    for (const address of ["o'neil+tag@example.test", 'a_b-c=d@mail.example.test', 'jörg@example.test']) {
      expect(parseAccountAddress(address)).toBeDefined();
    }
  });

  it('refuses what is not an account address', () => {
    for (const address of [
      'bob',
      '@example.test',
      'bob@',
      'bob@localhost',
      'bo b@example.test',
      '.bob@example.test',
      'bob.@example.test',
      'b..ob@example.test',
      '"bob"@example.test',
      'bob@exa_mple.test',
      `${'a'.repeat(65)}@example.test`,
    ]) {
      expect(parseAccountAddress(address), address).toBeUndefined();
    }
  });
});

describe('normalizeDomain', () => {
  it('lower-cases DNS names and refuses others', () => {
    expect(normalizeDomain('Mail.Example.TEST')).toBe('mail.example.test');
    expect(normalizeDomain('-bad.test')).toBeUndefined();
    expect(normalizeDomain('single')).toBeUndefined();
  });
});
