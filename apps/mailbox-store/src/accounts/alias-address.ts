/**
 * Alias addresses: `local@domain`, or `@domain` for the catch-all of a
 * domain (mail for any address of the domain that is neither a user nor an
 * alias). Normalized like account addresses (lower-cased).
 */
import { catchAllOf } from '@mail/contracts';
import { normalizeDomain, parseAccountAddress } from './account-address';

export { catchAllOf };

export interface AliasAddress {
  /** `local@domain` or `@domain`, lower-cased. */
  readonly address: string;
  readonly domain: string;
  /** True for `@domain`. */
  readonly catchAll: boolean;
}

/** Parse and normalize an alias address; undefined when it is neither form. */
export function parseAliasAddress(input: string): AliasAddress | undefined {
  if (input.startsWith('@')) {
    const domain = normalizeDomain(input.slice(1));
    return domain === undefined ? undefined : { address: catchAllOf(domain), domain, catchAll: true };
  }
  const account = parseAccountAddress(input);
  return account && { address: account.address, domain: account.domain, catchAll: false };
}
