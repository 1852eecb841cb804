/** Stored messages live as long as a mailbox entry refers to them. */
import type { Queryable } from '../database/pool';

/**
 * Delete those of `messageIds` that no entry refers to any more. Run in the
 * transaction that removed the entries, so raw bytes never outlive their last
 * entry and never vanish under a surviving one.
 */
export async function deleteUnreferencedMessages(db: Queryable, messageIds: readonly string[]): Promise<number> {
  if (messageIds.length === 0) return 0;
  const result = await db.query(
    `DELETE FROM messages m
      WHERE m.id = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM mailbox_entries e WHERE e.message_id = m.id)`,
    [messageIds],
  );
  return result.rowCount ?? 0;
}
