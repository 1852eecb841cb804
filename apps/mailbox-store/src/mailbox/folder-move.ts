/**
 * Moving a user's message between folders (INBOX ↔ Junk), and listing what a
 * user holds for an administrator. Addresses passed in must be normalized.
 */
import { RemoteError } from '@mail/bus';
import type { MailboxChanged } from '@mail/contracts';
import type { Pool, Queryable } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { allocateUids, findFolder } from '../imap/folder-row';
import { changeNotice } from './change-notices';
import type { FolderName } from './folders';
import { lockUser } from './user-lock';

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
  | { readonly kind: 'moved'; readonly entry: MovedEntry; readonly notices: readonly MailboxChanged[] }
  | { readonly kind: 'unchanged'; readonly folder: string }
  | { readonly kind: 'unknown-user' }
  | { readonly kind: 'unknown-message' };

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
 * user locked, then the folders, then the entry (user-lock.ts). The entry
 * gets the next UID of `to` and the source records its old UID as expunged
 * with a new modseq, as IMAP MOVE does (RFC 6851 §3.3; imap-copy.ts), so
 * IMAP sessions of either folder see the move; the notices to send after
 * the commit come with the outcome. `onMoved` runs inside that transaction
 * after the update, so a failure there (e.g. publishing feedback) rolls the
 * move back and a retry sees the entry where it was.
 */
export async function moveEntry(pool: Pool, address: string, uid: string, to: FolderName, headOctets: number, onMoved: (entry: MovedEntry) => Promise<void>): Promise<MoveOutcome> {
  return withTransaction(pool, async (client) => {
    const userId = await lockUser(client, address).catch((error: unknown) => {
      if (error instanceof RemoteError && error.code === 'unknown-user') return undefined;
      throw error;
    });
    if (userId === undefined) return { kind: 'unknown-user' };
    const { rows } = await client.query<{ id: string; folder: string; message_id: string; head: Buffer; size: number }>(
      `SELECT e.id, mb.name AS folder, e.message_id, substring(m.raw FROM 1 FOR $3::int) AS head, m.size
         FROM mailbox_entries e
         JOIN mailboxes mb ON mb.id = e.mailbox_id
         JOIN messages m ON m.id = e.message_id
        WHERE e.user_id = $1 AND e.uid = $2`,
      [userId, uid, headOctets],
    );
    const row = rows[0];
    if (!row) return { kind: 'unknown-message' };
    if (row.folder === to) return { kind: 'unchanged', folder: row.folder };
    const source = await findFolder(client, address, row.folder, { bumpModseq: true });
    // Every user is created with INBOX and Junk (admin user.add).
    const target = await findFolder(client, address, to);
    const { firstUid, modseq } = await allocateUids(client, target.id, 1);
    const { rows: moved } = await client.query<{ imap_uid: string }>(
      `WITH old AS (SELECT imap_uid FROM mailbox_entries WHERE id = $1 FOR UPDATE)
       UPDATE mailbox_entries e SET mailbox_id = $2, imap_uid = $3, modseq = $4 FROM old WHERE e.id = $1 RETURNING old.imap_uid`,
      [row.id, target.id, firstUid, modseq],
    );
    const oldUid = Number(moved[0]?.imap_uid);
    await client.query(
      `INSERT INTO expunged_entries (mailbox_id, imap_uid, modseq) VALUES ($1, $2, $3) ON CONFLICT (mailbox_id, imap_uid) DO UPDATE SET modseq = excluded.modseq, expunged_at = now()`,
      [source.id, oldUid, source.highestModseq],
    );
    const entry: MovedEntry = { uid, from: row.folder, to, messageId: row.message_id, head: row.head, size: row.size };
    await onMoved(entry);
    const notices = [
      changeNotice({ user: address, folder: target.name, uidValidity: target.uidValidity, modseq }, 'added', [firstUid]),
      changeNotice({ user: address, folder: source.name, uidValidity: source.uidValidity, modseq: source.highestModseq }, 'expunged', [oldUid]),
    ];
    return { kind: 'moved', entry, notices };
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
