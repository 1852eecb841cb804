/**
 * Which mailboxes receive mail for an address, read from the tables: the
 * rows the decision can ask about (the domain, the user or alias at the
 * address, the domain's catch-all, which of their targets are users) are
 * fetched, and @mail/contracts' resolveInDirectory decides — the same
 * decision smtp-ingress makes over its directory replica.
 */
import { catchAllOf, lookupKeysOf, resolveInDirectory, type AddressResolution, type DirectoryView } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { findDomainId } from './domains';

export type { AddressResolution };

type Entry = ReturnType<DirectoryView['entryOf']>;

export async function resolveAddress(db: Queryable, input: string): Promise<AddressResolution> {
  const { address, domain } = lookupKeysOf(input);
  if (domain === undefined || (await findDomainId(db, domain)) === undefined) return { kind: 'not-local-domain' };
  const { rows } = await db.query<{ address: string; targets: string[] | null }>(
    `SELECT address, NULL::text[] AS targets FROM users WHERE address = $1
     UNION ALL
     SELECT address, targets FROM aliases WHERE address IN ($1, $2)`,
    [address, catchAllOf(domain)],
  );
  const entries = new Map<string, Entry>();
  // A user wins over an alias of the same address (never both, unless two admin changes raced)
  for (const row of rows) if (entries.get(row.address)?.kind !== 'user') entries.set(row.address, row.targets === null ? { kind: 'user' } : { kind: 'alias', targets: row.targets });
  const targets = rows.flatMap((row) => row.targets ?? []);
  if (targets.length > 0) {
    // One level: a target counts only while it is a user (a removed user may linger until cleaned up).
    const users = await db.query<{ address: string }>('SELECT address FROM users WHERE address = ANY($1::text[])', [targets]);
    for (const row of users.rows) entries.set(row.address, { kind: 'user' });
  }
  return resolveInDirectory(input, { isLocalDomain: (name) => name === domain, entryOf: (name) => entries.get(name) });
}
