/**
 * The mailbox entries a delivery creates: one per (message, user) that
 * takes it, in the user's folder — one statement for a message or a whole
 * group. The partial unique index on (message_id, user_id) of delivered
 * entries makes it idempotent: a redelivered message creates nothing twice.
 */
import type { MailboxChanged } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import type { FolderName } from '../mailbox/folders';
import { addedNotices } from '../mailbox/change-notices';
import type { StatementPart } from './message-row';

export interface NewEntry {
  readonly messageId: string;
  readonly userId: string;
  /** The owner's address (for the mailbox.changed notice). */
  readonly owner: string;
  /** Octets of the stored message. */
  readonly size: number;
  readonly folder: FolderName;
}

export interface CreatedEntries {
  /** Entries created per message id. */
  readonly perMessage: Map<string, number>;
  /** What to tell IMAP sessions once committed: the UIDs added per folder. */
  readonly notices: MailboxChanged[];
}

/**
 * Creates `entries` (those that exist already are left alone) and returns
 * how many each message got, with their IMAP UIDs. In the same statement,
 * per folder: a folder a user lacks is created, and the folder's UIDs are
 * allocated — `uid_next` moved on by the number of entries and
 * `highest_modseq` by one (RFC 7162 §3.1: the new messages' modseq) with the
 * folder row locked until commit, so UIDs become visible in ascending order
 * and are never given twice (RFC 9051 §2.3.1.1). A group shares its
 * transaction's now(): each entry gets now() plus its position in
 * microseconds, so a maildrop (ordered by received_at) lists a group in the
 * order given, and UIDs follow the same order. Run after the users are
 * locked (recipient-admission.ts), so two deliveries never race for the
 * same entry or folder, and the entries asked for are all new (no UID is
 * allocated for nothing).
 *
 * `before`: a statement part run within the same statement, as a
 * data-modifying WITH item (its parameters numbered from $5), e.g. the
 * INSERT of the messages' rows (message-row.ts messageRowsInsert): one
 * round trip instead of two. The foreign key of each entry is checked at
 * the end of the statement, when that part has written its rows.
 */
export async function insertEntries(db: Queryable, entries: readonly NewEntry[], before?: StatementPart): Promise<CreatedEntries> {
  const perMessage = new Map<string, number>();
  if (entries.length === 0) {
    if (before !== undefined) await db.query(before.sql, [...before.values]);
    return { perMessage, notices: [] };
  }
  const columns = [entries.map((e) => e.messageId), entries.map((e) => e.userId), entries.map((e) => e.size), entries.map((e) => e.folder)];
  const { rows } = await db.query<{ message_id: string; user_id: string; folder: string; uid_validity: string; imap_uid: string; modseq: string }>(
    `WITH ${
      before === undefined
        ? ''
        : `written_first AS (${before.sql}),
     `
    }wanted AS (
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[]) WITH ORDINALITY AS w(message_id, user_id, size, folder, ord)),
     counts AS (SELECT user_id, folder, count(*) AS n FROM wanted GROUP BY user_id, folder ORDER BY user_id, folder),
     allocated AS (
       INSERT INTO mailboxes AS mb (user_id, name, uid_next)
       SELECT user_id, folder, 1 + n FROM counts
       ON CONFLICT (user_id, name) DO UPDATE SET uid_next = mb.uid_next + excluded.uid_next - 1, highest_modseq = mb.highest_modseq + 1
       RETURNING mb.id, mb.user_id, mb.name, mb.uid_validity, mb.uid_next, mb.highest_modseq),
     inserted AS (
       INSERT INTO mailbox_entries (user_id, mailbox_id, message_id, size, received_at, imap_uid, modseq)
       SELECT w.user_id, a.id, w.message_id, w.size, now() + w.ord * interval '1 microsecond',
              a.uid_next - count(*) OVER (PARTITION BY a.id) + row_number() OVER (PARTITION BY a.id ORDER BY w.ord) - 1, a.highest_modseq
         FROM wanted w JOIN allocated a ON a.user_id = w.user_id AND a.name = w.folder
        ORDER BY w.ord
       ON CONFLICT (message_id, user_id) WHERE origin = 'delivery' DO NOTHING
       RETURNING message_id, user_id, mailbox_id, imap_uid, modseq)
     SELECT i.message_id, i.user_id, a.name AS folder, a.uid_validity, i.imap_uid, i.modseq
       FROM inserted i JOIN allocated a ON a.id = i.mailbox_id
      ORDER BY i.mailbox_id, i.imap_uid`,
    [...columns, ...(before?.values ?? [])],
  );
  for (const row of rows) perMessage.set(row.message_id, (perMessage.get(row.message_id) ?? 0) + 1);
  const ownerOf = new Map(entries.map((entry) => [entry.userId, entry.owner]));
  return {
    perMessage,
    notices: addedNotices(
      rows.map((row) => ({ user: ownerOf.get(String(row.user_id)) ?? '', folder: row.folder, uidValidity: Number(row.uid_validity), uid: Number(row.imap_uid), modseq: Number(row.modseq) })),
    ),
  };
}
