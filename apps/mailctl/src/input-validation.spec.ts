/** Unit tests of input-validation.ts: local address and domain checks. */
import { describe, expect, it } from 'vitest';
import { addressProblem, domainProblem } from './input-validation';

describe('input validation', () => {
  it('accepts valid domains and addresses, in any case', () => {
    expect(domainProblem('Example.TEST')).toBeUndefined();
    expect(addressProblem('Bob.Smith+tag@Example.test')).toBeUndefined();
    expect(addressProblem('jörg@example.test')).toBeUndefined();
  });

  it('names the bad value and the expected form', () => {
    expect(domainProblem('localhost')).toBe('invalid domain "localhost": expected a DNS name such as example.test');
    expect(addressProblem('bob@')).toBe('invalid address "bob@": expected local@domain such as bob@example.test');
    for (const address of ['@example.test', 'b..b@example.test', 'bob@-x.test', 'a b@example.test', `${'x'.repeat(65)}@example.test`]) {
      expect(addressProblem(address), address).toBeDefined();
    }
  });
});
