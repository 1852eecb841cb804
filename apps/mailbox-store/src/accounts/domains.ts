/** The domains mailbox-store receives mail for (table `domains`). */
import type { Queryable } from '../database/pool';
import { AccountError } from './account-error';

/** PostgreSQL foreign_key_violation. */
const foreignKeyViolation = '23503';

export interface DomainListing {
  readonly domain: string;
  readonly users: number;
  readonly createdAt: Date;
}

/** The domain's id, or undefined when it is not one of ours. `domain` must be normalized. */
export async function findDomainId(db: Queryable, domain: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM domains WHERE name = $1', [domain]);
  return rows[0]?.id;
}

/** Add a domain; refuses one that exists (`duplicate-domain`). */
export async function addDomain(db: Queryable, domain: string): Promise<void> {
  const result = await db.query('INSERT INTO domains (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [domain]);
  if (result.rowCount === 0) throw new AccountError('duplicate-domain', `domain ${domain} already exists`);
}

/**
 * Remove a domain. Refuses while it has users (`domain-in-use`) rather than
 * cascading: deleting mailboxes must be a deliberate `user remove` each.
 * Its aliases go with it.
 */
export async function removeDomain(db: Queryable, domain: string): Promise<void> {
  try {
    const result = await db.query('DELETE FROM domains WHERE name = $1', [domain]);
    if (result.rowCount === 0) throw new AccountError('unknown-domain', `domain ${domain} does not exist`);
  } catch (error) {
    if ((error as { code?: string }).code !== foreignKeyViolation) throw error;
    const { rows } = await db.query<{ users: number }>('SELECT count(*)::int AS users FROM users u JOIN domains d ON d.id = u.domain_id WHERE d.name = $1', [domain]);
    throw new AccountError('domain-in-use', `domain ${domain} still has ${rows[0]?.users ?? 'some'} user(s); remove them first`);
  }
}

/** All domains with their number of users, by name. */
export async function listDomains(db: Queryable): Promise<DomainListing[]> {
  const { rows } = await db.query<{ name: string; users: number; created_at: Date }>(
    `SELECT d.name, count(u.id)::int AS users, d.created_at
       FROM domains d LEFT JOIN users u ON u.domain_id = d.id
      GROUP BY d.id ORDER BY d.name`,
  );
  return rows.map((row) => ({ domain: row.name, users: row.users, createdAt: row.created_at }));
}
