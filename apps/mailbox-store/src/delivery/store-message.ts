/**
 * The one transaction that delivers a message: raw bytes stored once, one
 * entry per recipient mailbox. Both inserts are ON CONFLICT DO NOTHING, keyed
 * by the queue id (messages) and (message, user) (entries), so running it
 * again for the same message — a redelivery after a crash between commit
 * and ack — changes nothing: exactly-once storage over at-least-once delivery.
 */
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import type { FolderName } from '../mailbox/folders';
import type { MessageMetadata } from './message-metadata';

export interface MessageToStore {
  readonly queueId: string;
  readonly raw: Buffer;
  readonly sha256: string;
  readonly envelopeFrom: string;
  readonly receivedAt: string;
  readonly metadata: MessageMetadata;
  /** Normalized owner addresses. */
  readonly mailboxes: readonly string[];
  readonly folder: FolderName;
}

export interface StoreOutcome {
  /** Owners that hold the message now (new entries and earlier deliveries alike). */
  readonly delivered: string[];
  /** Owners that do not exist (any more). */
  readonly missing: string[];
  /** Entries created by this call; 0 on a redelivery. */
  readonly created: number;
}

export async function storeMessage(pool: Pool, message: MessageToStore): Promise<StoreOutcome> {
  return withTransaction(pool, async (client) => {
    // FOR SHARE: a concurrent user removal waits for this delivery, or this delivery skips the removed user.
    const users = await client.query<{ id: string; address: string }>(
      'SELECT id, address FROM users WHERE address = ANY($1::text[]) ORDER BY id FOR SHARE',
      [message.mailboxes],
    );
    const delivered = users.rows.map((row) => row.address);
    const missing = message.mailboxes.filter((address) => !delivered.includes(address));
    if (users.rows.length === 0) return { delivered, missing, created: 0 };
    const { metadata } = message;
    await client.query(
      `INSERT INTO messages (id, raw, size, sha256, envelope_from, header_from, header_to, subject, header_date, message_id_header, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
      [message.queueId, message.raw, message.raw.length, message.sha256, message.envelopeFrom,
        metadata.from, metadata.to, metadata.subject, metadata.date, metadata.messageId, message.receivedAt],
    );
    const userIds = users.rows.map((row) => row.id);
    // Folders are created with the user; this only repairs a user that lacks one.
    await client.query(
      'INSERT INTO mailboxes (user_id, name) SELECT unnest($1::bigint[]), $2 ON CONFLICT (user_id, name) DO NOTHING',
      [userIds, message.folder],
    );
    const entries = await client.query(
      `INSERT INTO mailbox_entries (user_id, mailbox_id, message_id, size)
       SELECT mb.user_id, mb.id, $1, $2 FROM mailboxes mb WHERE mb.user_id = ANY($3::bigint[]) AND mb.name = $4
       ON CONFLICT (message_id, user_id) DO NOTHING`,
      [message.queueId, message.raw.length, userIds, message.folder],
    );
    return { delivered, missing, created: entries.rowCount ?? 0 };
  });
}
