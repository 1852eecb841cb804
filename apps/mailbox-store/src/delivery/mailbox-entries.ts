/**
 * The mailbox entries a delivery creates: one per (message, user) that
 * takes it, in the user's folder — one statement for a message or a whole
 * group. UNIQUE (message_id, user_id) makes it idempotent: a redelivered
 * message creates nothing twice.
 */
import type { Queryable } from '../database/pool';
import type { FolderName } from '../mailbox/folders';

export interface NewEntry {
  readonly messageId: string;
  readonly userId: string;
  /** Octets of the stored message. */
  readonly size: number;
  readonly folder: FolderName;
}

/**
 * Creates `entries` (those that exist already are left alone) and returns
 * how many each message got. A folder a user lacks is created in the same
 * statement; the outer INSERT does not see rows its own CTE inserted (one
 * snapshot), hence the UNION with RETURNING. A group shares its
 * transaction's now(): each entry gets now() plus its position in
 * microseconds, so a maildrop (ordered by received_at) lists a group in the
 * order given. Run after the users are locked (recipient-admission.ts), so
 * two deliveries never race for the same entry.
 */
export async function insertEntries(db: Queryable, entries: readonly NewEntry[]): Promise<Map<string, number>> {
  const created = new Map<string, number>();
  if (entries.length === 0) return created;
  const { rows } = await db.query<{ message_id: string }>(
    `WITH wanted AS (
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[]) WITH ORDINALITY AS w(message_id, user_id, size, folder, ord)),
     repaired AS (
       INSERT INTO mailboxes (user_id, name) SELECT DISTINCT user_id, folder FROM wanted
       ON CONFLICT (user_id, name) DO NOTHING RETURNING user_id, id, name)
     INSERT INTO mailbox_entries (user_id, mailbox_id, message_id, size, received_at)
     SELECT w.user_id, mb.id, w.message_id, w.size, now() + w.ord * interval '1 microsecond'
       FROM wanted w
       JOIN (SELECT user_id, id, name FROM mailboxes WHERE (user_id, name) IN (SELECT user_id, folder FROM wanted)
             UNION ALL SELECT user_id, id, name FROM repaired) mb ON mb.user_id = w.user_id AND mb.name = w.folder
      ORDER BY w.ord
     ON CONFLICT (message_id, user_id) DO NOTHING
     RETURNING message_id`,
    [entries.map((e) => e.messageId), entries.map((e) => e.userId), entries.map((e) => e.size), entries.map((e) => e.folder)],
  );
  for (const row of rows) created.set(row.message_id, (created.get(row.message_id) ?? 0) + 1);
  return created;
}
