/**
 * Aliases (table `aliases`): an address that delivers to one or more local
 * users, and `@domain` catch-alls. Targets must be users when the alias is
 * made; a target removed later is dropped from its aliases with the user
 * (users.ts). Addresses passed in must be normalized.
 */
import type { Pool, Queryable } from '../database/pool';
import { withTransaction } from '../database/transaction';
import type { AliasAddress } from './alias-address';
import { AccountError } from './account-error';
import { findDomainId } from './domains';

/** Most targets one alias may have (the admin contract's limit). */
export const maxAliasTargets = 100;

export interface AliasListing {
  readonly alias: string;
  readonly targets: readonly string[];
  readonly createdAt: Date;
}

/**
 * Add an alias. Refuses an unknown domain, an address that is a user
 * (`address-in-use`: a user always wins, so the alias would never apply), an
 * existing alias, and targets that are not users (`unknown-target`).
 */
export async function addAlias(pool: Pool, alias: AliasAddress, targets: readonly string[]): Promise<void> {
  const unique = [...new Set(targets)];
  await withTransaction(pool, async (client) => {
    const domainId = await findDomainId(client, alias.domain);
    if (domainId === undefined) throw new AccountError('unknown-domain', `domain ${alias.domain} does not exist; add it first`);
    const user = await client.query('SELECT 1 FROM users WHERE address = $1', [alias.address]);
    if ((user.rowCount ?? 0) > 0) throw new AccountError('address-in-use', `${alias.address} is a user; an alias cannot have its address`);
    const known = await client.query<{ address: string }>('SELECT address FROM users WHERE address = ANY($1::text[])', [unique]);
    const missing = unique.filter((target) => !known.rows.some((row) => row.address === target));
    if (missing.length > 0) throw new AccountError('unknown-target', `alias targets must be users; not a user: ${missing.join(', ')}`);
    const inserted = await client.query('INSERT INTO aliases (address, domain_id, targets) VALUES ($1, $2, $3) ON CONFLICT (address) DO NOTHING', [alias.address, domainId, unique]);
    if (inserted.rowCount === 0) throw new AccountError('duplicate-alias', `alias ${alias.address} already exists; remove it first to change its targets`);
  });
}

export async function removeAlias(db: Queryable, address: string): Promise<void> {
  const result = await db.query('DELETE FROM aliases WHERE address = $1', [address]);
  if (result.rowCount === 0) throw new AccountError('unknown-alias', `alias ${address} does not exist`);
}

/** Aliases of one domain (or all), by address (catch-alls first within a domain). */
export async function listAliases(db: Queryable, domain: string | undefined): Promise<AliasListing[]> {
  if (domain !== undefined && (await findDomainId(db, domain)) === undefined) {
    throw new AccountError('unknown-domain', `domain ${domain} does not exist`);
  }
  const { rows } = await db.query<{ address: string; targets: string[]; created_at: Date }>(
    `SELECT a.address, a.targets, a.created_at
       FROM aliases a JOIN domains d ON d.id = a.domain_id
      WHERE $1::text IS NULL OR d.name = $1
      ORDER BY d.name, a.address`,
    [domain ?? null],
  );
  return rows.map((row) => ({ alias: row.address, targets: row.targets, createdAt: row.created_at }));
}

/** The targets of the alias `address` (exact, or a catch-all `@domain`), or undefined. */
export async function aliasTargets(db: Queryable, address: string): Promise<string[] | undefined> {
  const { rows } = await db.query<{ targets: string[] }>('SELECT targets FROM aliases WHERE address = $1', [address]);
  return rows[0]?.targets;
}

/** Take a removed user out of every alias; aliases left without a target go too. Runs in the removal's transaction. */
export async function dropAliasTarget(db: Queryable, address: string): Promise<void> {
  await db.query('DELETE FROM aliases WHERE targets = ARRAY[$1::text]', [address]);
  await db.query('UPDATE aliases SET targets = array_remove(targets, $1::text) WHERE $1::text = ANY(targets)', [address]);
}
