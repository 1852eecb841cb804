/**
 * Which mailboxes receive mail for an address: the user of that address;
 * else the targets of the alias of that address; else the targets of the
 * domain's catch-all (`@domain`). Aliases are followed one level only —
 * their targets are users, never other aliases — so no chain can loop.
 * Comparison is case-insensitive (account-address.ts).
 */
import type { Queryable } from '../database/pool';
import { catchAllOf } from './alias-address';
import { findDomainId } from './domains';

export type AddressResolution =
  | { readonly kind: 'not-local-domain' }
  | { readonly kind: 'unknown-user' }
  | {
      readonly kind: 'local';
      /** Owner addresses, without duplicates, in target order. */
      readonly mailboxes: string[];
      readonly via: 'user' | 'alias' | 'catch-all';
    };

type Via = 'user' | 'alias' | 'catch-all';
const precedence: readonly Via[] = ['user', 'alias', 'catch-all'];

export async function resolveAddress(db: Queryable, input: string): Promise<AddressResolution> {
  const at = input.lastIndexOf('@');
  const domain = input.slice(at + 1).toLowerCase();
  if (at <= 0 || (await findDomainId(db, domain)) === undefined) return { kind: 'not-local-domain' };
  const address = input.toLowerCase();
  const { rows } = await db.query<{ via: Via; targets: string[] }>(
    `SELECT 'user' AS via, ARRAY[address] AS targets FROM users WHERE address = $1
     UNION ALL
     SELECT CASE WHEN address = $1 THEN 'alias' ELSE 'catch-all' END, targets FROM aliases WHERE address IN ($1, $2)`,
    [address, catchAllOf(domain)],
  );
  for (const via of precedence) {
    const found = rows.find((row) => row.via === via);
    if (found === undefined) continue;
    if (via === 'user') return { kind: 'local', mailboxes: found.targets, via };
    // One level: a target counts only while it is a user (a removed user may linger until cleaned up).
    const users = await db.query<{ address: string }>('SELECT address FROM users WHERE address = ANY($1::text[])', [found.targets]);
    const mailboxes = found.targets.filter((target, i) => found.targets.indexOf(target) === i && users.rows.some((row) => row.address === target));
    if (mailboxes.length > 0) return { kind: 'local', mailboxes, via };
    // An alias whose targets are all gone refuses the address rather than falling through to the catch-all.
    return { kind: 'unknown-user' };
  }
  return { kind: 'unknown-user' };
}
