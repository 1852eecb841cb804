/**
 * Removing entries, whichever door asks (POP3 QUIT, IMAP EXPUNGE and MOVE):
 * each folder that loses entries gets a new modseq, and each removed UID is
 * kept with it in expunged_entries for QRESYNC's VANISHED (EARLIER) (RFC
 * 7162 §3.2.5.1); the messages left without entries are deleted. Run inside
 * the caller's transaction with the user locked (user-lock.ts).
 */
import type { MailboxChanged } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { changeNotice } from './change-notices';
import { deleteUnreferencedMessages } from './unreferenced-messages';

export interface ExpungedFolder {
  readonly folder: string;
  readonly uidValidity: number;
  readonly modseq: number;
  /** Removed UIDs, ascending. */
  readonly uids: number[];
}

/**
 * Remove the entries with these ids (of the locked user `userId`); the
 * folders they left, and the notices to send after the commit. With
 * `keepMessages` (a move) the stored messages stay whatever refers to them.
 */
export async function expungeEntryIds(
  db: Queryable,
  user: { readonly id: string; readonly address: string },
  entryIds: readonly string[],
  options: { readonly keepMessages?: boolean } = {},
): Promise<{ folders: ExpungedFolder[]; notices: MailboxChanged[] }> {
  if (entryIds.length === 0) return { folders: [], notices: [] };
  // The folders first (lock order: folder rows, then entries), each with its new modseq.
  const bumped = await db.query<{ id: string; name: string; uid_validity: string; highest_modseq: string }>(
    `UPDATE mailboxes mb SET highest_modseq = mb.highest_modseq + 1
      WHERE mb.user_id = $1 AND mb.id IN (SELECT mailbox_id FROM mailbox_entries WHERE id = ANY($2::bigint[]) AND user_id = $1)
      RETURNING mb.id, mb.name, mb.uid_validity, mb.highest_modseq`,
    [user.id, entryIds],
  );
  const { rows } = await db.query<{ mailbox_id: string; imap_uid: string; message_id: string }>(
    `WITH gone AS (DELETE FROM mailbox_entries WHERE id = ANY($2::bigint[]) AND user_id = $1 RETURNING mailbox_id, imap_uid, message_id),
     kept AS (
       INSERT INTO expunged_entries (mailbox_id, imap_uid, modseq)
       SELECT g.mailbox_id, g.imap_uid, mb.highest_modseq FROM gone g JOIN mailboxes mb ON mb.id = g.mailbox_id
       ON CONFLICT (mailbox_id, imap_uid) DO UPDATE SET modseq = excluded.modseq, expunged_at = now())
     SELECT mailbox_id, imap_uid, message_id FROM gone ORDER BY mailbox_id, imap_uid`,
    [user.id, entryIds],
  );
  if (options.keepMessages !== true) await deleteUnreferencedMessages(db, [...new Set(rows.map((row) => row.message_id))]);
  const folders = bumped.rows.map((folder) => ({
    folder: folder.name,
    uidValidity: Number(folder.uid_validity),
    modseq: Number(folder.highest_modseq),
    uids: rows.filter((row) => String(row.mailbox_id) === String(folder.id)).map((row) => Number(row.imap_uid)),
  }));
  return { folders, notices: folders.map((folder) => changeNotice({ ...folder, user: user.address }, 'expunged', folder.uids)) };
}
