/** Users and their folders (tables `users`, `mailboxes`). Addresses passed in must be normalized. */
import type { Pool, Queryable } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { userFolders } from '../mailbox/folders';
import { deleteUnreferencedMessages } from '../mailbox/unreferenced-messages';
import type { AccountAddress } from './account-address';
import { AccountError } from './account-error';
import { dropAliasTarget } from './aliases';
import { findDomainId } from './domains';

export interface UserRecord {
  readonly id: string;
  readonly address: string;
  readonly passwordHash: string;
}

export interface UserListing {
  readonly address: string;
  readonly messages: number;
  readonly bytes: number;
  readonly quotaBytes: string | null;
  readonly apop: boolean;
  readonly createdAt: Date;
}

export async function findUser(db: Queryable, address: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<{ id: string; address: string; password_hash: string }>('SELECT id, address, password_hash FROM users WHERE address = $1', [address]);
  const row = rows[0];
  return row && { id: row.id, address: row.address, passwordHash: row.password_hash };
}

/** Create a user with its folders (INBOX, Junk and the other special-use ones), subscribed, in one transaction. */
export async function addUser(pool: Pool, account: AccountAddress, passwordHash: string): Promise<void> {
  await withTransaction(pool, async (client) => {
    const domainId = await findDomainId(client, account.domain);
    if (domainId === undefined) throw new AccountError('unknown-domain', `domain ${account.domain} does not exist; add it first`);
    const alias = await client.query('SELECT 1 FROM aliases WHERE address = $1', [account.address]);
    if ((alias.rowCount ?? 0) > 0) throw new AccountError('address-in-use', `${account.address} is an alias; remove it first`);
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO users (address, domain_id, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (address) DO NOTHING RETURNING id`,
      [account.address, domainId, passwordHash],
    );
    const userId = inserted.rows[0]?.id;
    if (userId === undefined) throw new AccountError('duplicate-user', `user ${account.address} already exists`);
    await client.query('INSERT INTO mailboxes (user_id, name, special_use) SELECT $1, unnest($2::text[]), unnest($3::text[])', [
      userId,
      userFolders.map((folder) => folder.name),
      userFolders.map((folder) => folder.specialUse),
    ]);
    // RFC 9051 §6.3.7: the folders a user starts with are subscribed.
    await client.query('INSERT INTO mailbox_subscriptions (user_id, name) SELECT $1, unnest($2::text[])', [userId, userFolders.map((folder) => folder.name)]);
  });
}

export async function setPassword(db: Queryable, address: string, passwordHash: string): Promise<void> {
  const result = await db.query('UPDATE users SET password_hash = $2 WHERE address = $1', [address, passwordHash]);
  if (result.rowCount === 0) throw new AccountError('unknown-user', `user ${address} does not exist`);
}

/** Store (sealed) or with null remove a user's APOP secret. */
export async function setApopSecret(db: Queryable, address: string, sealed: string | null): Promise<void> {
  const result = await db.query('UPDATE users SET apop_secret = $2 WHERE address = $1', [address, sealed]);
  if (result.rowCount === 0) throw new AccountError('unknown-user', `user ${address} does not exist`);
}

/** The canonical address and sealed APOP secret of a user; undefined when unknown, `sealed` null without a secret. */
export async function findApopSecret(db: Queryable, address: string): Promise<{ address: string; sealed: string | null } | undefined> {
  const { rows } = await db.query<{ address: string; apop_secret: string | null }>('SELECT address, apop_secret FROM users WHERE address = $1', [address]);
  const row = rows[0];
  return row && { address: row.address, sealed: row.apop_secret };
}

/** Delete a user, its folders and entries, its place in aliases, and the messages no other user holds. */
export async function removeUser(pool: Pool, address: string): Promise<void> {
  await withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM users WHERE address = $1 FOR UPDATE', [address]);
    const userId = rows[0]?.id;
    if (userId === undefined) throw new AccountError('unknown-user', `user ${address} does not exist`);
    const held = await client.query<{ message_id: string }>('SELECT message_id FROM mailbox_entries WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM users WHERE id = $1', [userId]);
    await dropAliasTarget(client, address);
    await deleteUnreferencedMessages(
      client,
      held.rows.map((row) => row.message_id),
    );
  });
}

/** Users of one domain (or all), by address, with their message count and total size. */
export async function listUsers(db: Queryable, domain: string | undefined): Promise<UserListing[]> {
  if (domain !== undefined && (await findDomainId(db, domain)) === undefined) {
    throw new AccountError('unknown-domain', `domain ${domain} does not exist`);
  }
  const { rows } = await db.query<{ address: string; messages: number; bytes: string; quota_bytes: string | null; apop: boolean; created_at: Date }>(
    `SELECT u.address, count(e.id)::int AS messages, coalesce(sum(e.size), 0)::bigint AS bytes, u.quota_bytes,
            u.apop_secret IS NOT NULL AS apop, u.created_at
       FROM users u
       JOIN domains d ON d.id = u.domain_id
       LEFT JOIN mailbox_entries e ON e.user_id = u.id
      WHERE $1::text IS NULL OR d.name = $1
      GROUP BY u.id ORDER BY u.address`,
    [domain ?? null],
  );
  return rows.map((row) => ({
    address: row.address,
    messages: row.messages,
    bytes: Number(row.bytes),
    quotaBytes: row.quota_bytes,
    apop: row.apop,
    createdAt: row.created_at,
  }));
}
