/**
 * A user's maildrop as POP3 sees it: list entries, read a stored message in
 * chunks, expunge entries. Addresses passed in must be normalized.
 */
import type { Pool, Queryable } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { silentNotifier, type ChangeNotifier } from './change-notices';
import { expungeEntryIds } from './expunge-entries';

export interface EntryListing {
  readonly uid: string;
  readonly size: number;
  readonly folder: string;
  readonly receivedAt: Date;
}

export interface Chunk {
  readonly data: Buffer;
  /** Size of the whole stored message. */
  readonly size: number;
}

/** Entries of the user's `folders`, oldest first (ties broken by uid, so the order is stable). */
export async function listEntries(db: Queryable, address: string, folders: readonly string[]): Promise<EntryListing[]> {
  const { rows } = await db.query<{ uid: string; size: number; folder: string; received_at: Date }>(
    `SELECT e.uid, e.size, mb.name AS folder, e.received_at
       FROM users u
       JOIN mailbox_entries e ON e.user_id = u.id
       JOIN mailboxes mb ON mb.id = e.mailbox_id
      WHERE u.address = $1 AND mb.name = ANY($2::text[])
      ORDER BY e.received_at, e.uid`,
    [address, folders],
  );
  return rows.map((row) => ({ uid: row.uid, size: row.size, folder: row.folder, receivedAt: row.received_at }));
}

/**
 * Octets [offset, offset+length) of the stored message, read in SQL with
 * substring() so only that slice leaves the database (raw is stored
 * uncompressed out of line, so PostgreSQL reads only the TOAST chunks it
 * needs). Undefined when the user has no entry with that uid.
 */
export async function readChunk(db: Queryable, address: string, uid: string, offset: number, length: number): Promise<Chunk | undefined> {
  const { rows } = await db.query<{ size: number; data: Buffer }>(
    `SELECT e.size, substring(m.raw FROM $3::int + 1 FOR $4::int) AS data
       FROM users u
       JOIN mailbox_entries e ON e.user_id = u.id
       JOIN messages m ON m.id = e.message_id
      WHERE u.address = $1 AND e.uid = $2`,
    [address, uid, offset, length],
  );
  const row = rows[0];
  return row && { data: row.data, size: row.size };
}

/** One whole stored message. */
export interface WholeMessage {
  readonly uid: string;
  readonly data: Buffer;
  readonly size: number;
}

/**
 * The user's messages with these uids, whole, in the order of `uids`, as
 * long as their sizes add up to at most `maxOctets`: the first one that
 * would go over ends the list (so one reply stays bounded). Uids the user
 * has no entry for are left out. The running total is computed in SQL, so
 * the bodies past the bound never leave the database.
 */
export async function readWholeMessages(db: Queryable, address: string, uids: readonly string[], maxOctets: number): Promise<WholeMessage[]> {
  const { rows } = await db.query<{ uid: string; size: number; data: Buffer }>(
    `SELECT listed.uid, listed.size, m.raw AS data
       FROM (SELECT e.uid, e.size, e.message_id, asked.ord,
                    sum(e.size) OVER (ORDER BY asked.ord) AS running
               FROM users u
               JOIN unnest($2::text[]) WITH ORDINALITY AS asked(uid, ord) ON true
               JOIN mailbox_entries e ON e.user_id = u.id AND e.uid = asked.uid
              WHERE u.address = $1) listed
       JOIN messages m ON m.id = listed.message_id
      WHERE listed.running <= $3
      ORDER BY listed.ord`,
    [address, uids, maxOctets],
  );
  return rows.map((row) => ({ uid: row.uid, data: row.data, size: row.size }));
}

/**
 * Delete the user's entries with these uids, and the messages left without
 * entries, in one transaction; IMAP sessions hear of it after the commit
 * (one mailbox, three doors). Unknown uids are ignored.
 */
export async function expungeEntries(pool: Pool, address: string, uids: readonly string[], notify: ChangeNotifier = silentNotifier): Promise<number> {
  if (uids.length === 0) return 0;
  const { count, notices } = await withTransaction(pool, async (client) => {
    const { rows: users } = await client.query<{ id: string }>('SELECT id FROM users WHERE address = $1 FOR NO KEY UPDATE', [address]);
    const userId = users[0]?.id;
    if (userId === undefined) return { count: 0, notices: [] };
    const { rows } = await client.query<{ id: string }>('SELECT id FROM mailbox_entries WHERE user_id = $1 AND uid = ANY($2::text[])', [userId, uids]);
    const expunged = await expungeEntryIds(
      client,
      { id: String(userId), address },
      rows.map((row) => String(row.id)),
    );
    return { count: expunged.folders.reduce((sum, folder) => sum + folder.uids.length, 0), notices: expunged.notices };
  });
  notify(notices);
  return count;
}
