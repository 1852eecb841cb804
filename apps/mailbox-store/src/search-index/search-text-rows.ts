/**
 * The rows of message_search_text (migration 004): a message is pending
 * (indexed_at NULL) from its insert on, until its text is written. Pending
 * rows are claimed FOR UPDATE SKIP LOCKED inside the indexer's transaction,
 * so two indexers (a SEARCH and the background, or two replicas) never
 * extract the same message, and neither waits for the other.
 */
import type { Queryable } from '../database/pool';

export interface PendingMessage {
  readonly messageId: string;
  /** Octets of the stored message. */
  readonly size: number;
}

export interface SearchTextRow {
  readonly messageId: string;
  readonly header: string;
  readonly body: string;
  readonly extraction: 'decoded' | 'raw';
}

/** Where to look for pending messages: one folder (a SEARCH), or anywhere (the background). */
export type PendingScope = { readonly mailboxId: string } | 'anywhere';

/** Claims up to `limit` pending messages of the scope that no other transaction holds. */
export async function claimPending(db: Queryable, scope: PendingScope, limit: number): Promise<PendingMessage[]> {
  const { rows } =
    scope === 'anywhere'
      ? await db.query<{ message_id: string; size: number }>(
          `SELECT t.message_id, m.size FROM message_search_text t JOIN messages m ON m.id = t.message_id
            WHERE t.indexed_at IS NULL LIMIT $1 FOR UPDATE OF t SKIP LOCKED`,
          [limit],
        )
      : await db.query<{ message_id: string; size: number }>(
          `SELECT t.message_id, m.size FROM mailbox_entries e
             JOIN message_search_text t ON t.message_id = e.message_id
             JOIN messages m ON m.id = e.message_id
            WHERE e.mailbox_id = $1 AND t.indexed_at IS NULL LIMIT $2 FOR UPDATE OF t SKIP LOCKED`,
          [scope.mailboxId, limit],
        );
  // a message copied within the folder comes once per entry
  const seen = new Map(rows.map((row) => [row.message_id, { messageId: row.message_id, size: row.size }]));
  return [...seen.values()];
}

/** The first `maxOctets` of each message (substring reads only the TOAST chunks it needs). */
export async function readStoredPrefixes(db: Queryable, messageIds: readonly string[], maxOctets: number): Promise<Map<string, Buffer>> {
  const { rows } = await db.query<{ id: string; raw: Buffer }>('SELECT id, substring(raw FROM 1 FOR $2) AS raw FROM messages WHERE id = ANY($1::text[])', [messageIds, maxOctets]);
  return new Map(rows.map((row) => [row.id, row.raw]));
}

/** Writes the text of claimed messages: they are indexed from the commit on. */
export async function writeSearchTexts(db: Queryable, texts: readonly SearchTextRow[]): Promise<void> {
  if (texts.length === 0) return;
  await db.query(
    `UPDATE message_search_text t
        SET header_text = v.header, body_text = v.body, extraction = v.extraction, indexed_at = now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(message_id, header, body, extraction)
      WHERE t.message_id = v.message_id`,
    [texts.map((t) => t.messageId), texts.map((t) => t.header), texts.map((t) => t.body), texts.map((t) => t.extraction)],
  );
}
