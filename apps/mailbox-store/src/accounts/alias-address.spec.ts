/** Unit tests of alias-address.ts: plain aliases and catch-alls. */
import { describe, expect, it } from 'vitest';
import { catchAllOf, parseAliasAddress } from './alias-address';

describe('parseAliasAddress', () => {
  it('normalizes a plain alias like an account address', () => {
    expect(parseAliasAddress('Sales@Example.TEST')).toEqual({ address: 'sales@example.test', domain: 'example.test', catchAll: false });
  });

  it('reads @domain as the catch-all of the domain', () => {
    expect(parseAliasAddress('@Example.TEST')).toEqual({ address: '@example.test', domain: 'example.test', catchAll: true });
    expect(catchAllOf('example.test')).toBe('@example.test');
  });

  it('refuses what is neither form', () => {
    for (const input of ['@', '@@example.test', 'sales', 'sales@', '@localhost', 'a b@example.test']) {
      expect(parseAliasAddress(input), input).toBeUndefined();
    }
  });
});
