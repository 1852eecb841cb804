/**
 * Moving a user's message between folders (INBOX ↔ Junk), and listing what a
 * user holds for an administrator. Addresses passed in must be normalized.
 */
import type { Pool, Queryable } from '../database/pool';
import { withTransaction } from '../database/transaction';
import type { FolderName } from './folders';

/** An entry that changed folder, with the first octets of its stored message. */
export interface MovedEntry {
  readonly uid: string;
  readonly from: string;
  readonly to: FolderName;
  /** The stored message's id: the queue id it arrived with. */
  readonly messageId: string;
  /** At most `headOctets` octets of the stored message, from its start. */
  readonly head: Buffer;
  readonly size: number;
}

export type MoveOutcome =
  { readonly kind: 'moved'; readonly entry: MovedEntry } | { readonly kind: 'unchanged'; readonly folder: string } | { readonly kind: 'unknown-user' } | { readonly kind: 'unknown-message' };

export interface EntrySummary {
  readonly uid: string;
  readonly folder: string;
  readonly size: number;
  readonly receivedAt: Date;
  readonly from: string | null;
  readonly subject: string | null;
}

/**
 * Move the entry `uid` of `address` into `to`, in one transaction with the
 * entry row locked. `onMoved` runs inside that transaction after the update,
 * so a failure there (e.g. publishing feedback) rolls the move back and a
 * retry sees the entry where it was.
 */
export async function moveEntry(pool: Pool, address: string, uid: string, to: FolderName, headOctets: number, onMoved: (entry: MovedEntry) => Promise<void>): Promise<MoveOutcome> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; user_id: string; folder: string; message_id: string; head: Buffer; size: number }>(
      `SELECT e.id, e.user_id, mb.name AS folder, e.message_id, substring(m.raw FROM 1 FOR $3::int) AS head, m.size
         FROM users u
         JOIN mailbox_entries e ON e.user_id = u.id
         JOIN mailboxes mb ON mb.id = e.mailbox_id
         JOIN messages m ON m.id = e.message_id
        WHERE u.address = $1 AND e.uid = $2
        FOR UPDATE OF e`,
      [address, uid, headOctets],
    );
    const row = rows[0];
    if (!row) {
      const user = await client.query('SELECT 1 FROM users WHERE address = $1', [address]);
      return { kind: user.rowCount === 0 ? 'unknown-user' : 'unknown-message' };
    }
    if (row.folder === to) return { kind: 'unchanged', folder: row.folder };
    const updated = await client.query(
      `UPDATE mailbox_entries e SET mailbox_id = mb.id
         FROM mailboxes mb
        WHERE e.id = $1 AND mb.user_id = $2 AND mb.name = $3`,
      [row.id, row.user_id, to],
    );
    // Every user is created with INBOX and Junk (admin user.add).
    if (updated.rowCount !== 1) throw new Error(`user ${address} has no folder ${to}`);
    const entry: MovedEntry = { uid, from: row.folder, to, messageId: row.message_id, head: row.head, size: row.size };
    await onMoved(entry);
    return { kind: 'moved', entry };
  });
}

/** The user's entries (in `folder`, or all), oldest first, with the sender and subject of their messages. */
export async function summarizeEntries(db: Queryable, address: string, folder: FolderName | undefined): Promise<EntrySummary[]> {
  const { rows } = await db.query<{ uid: string; folder: string; size: number; received_at: Date; header_from: string | null; subject: string | null }>(
    `SELECT e.uid, mb.name AS folder, e.size, e.received_at, m.header_from, m.subject
       FROM users u
       JOIN mailbox_entries e ON e.user_id = u.id
       JOIN mailboxes mb ON mb.id = e.mailbox_id
       JOIN messages m ON m.id = e.message_id
      WHERE u.address = $1 AND ($2::text IS NULL OR mb.name = $2)
      ORDER BY e.received_at, e.uid`,
    [address, folder ?? null],
  );
  return rows.map((row) => ({ uid: row.uid, folder: row.folder, size: row.size, receivedAt: row.received_at, from: row.header_from, subject: row.subject }));
}
