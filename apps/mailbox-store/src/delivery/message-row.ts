/**
 * The `messages` row of a delivery, written piece by piece: an INSERT with
 * the first piece, then `raw = raw || piece` for each further one, and the
 * SHA-256 once the last piece is in — all inside the caller's transaction,
 * so a crash or a corrupt body leaves nothing behind. `size` grows with
 * `raw`, keeping the CHECK (size = octet_length(raw)) true after every
 * statement. node-postgres sends a Buffer parameter as binary (format 1),
 * so each statement carries one piece once, never a hex copy.
 *
 * Each append rewrites the stored value (PostgreSQL has no in-place append
 * for bytea), so a message of n pieces writes about n²/2 pieces on the
 * server: a few for the largest messages, one statement for most (see
 * STORE_WRITE_CHUNK).
 */
import type { Queryable } from '../database/pool';
import type { MessageMetadata } from './message-metadata';

export interface MessageRow {
  readonly queueId: string;
  readonly envelopeFrom: string;
  readonly receivedAt: string;
  readonly metadata: MessageMetadata;
}

export interface MessagePieces {
  pieces(): AsyncIterable<Buffer>;
  /** Hex SHA-256 of all pieces; read after they are consumed. */
  readonly sha256: string;
}

/** Whether the row of `queueId` exists already (an earlier delivery stored it). */
export async function messageExists(db: Queryable, queueId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM messages WHERE id = $1', [queueId]);
  return (rowCount ?? 0) > 0;
}

/**
 * Writes the row; 'exists' when a concurrent delivery of the same queue id
 * committed it first (nothing more is read or written then).
 */
export async function insertMessage(db: Queryable, row: MessageRow, body: MessagePieces): Promise<'inserted' | 'exists'> {
  const { metadata } = row;
  let first = true;
  for await (const piece of body.pieces()) {
    if (first) {
      first = false;
      const inserted = await db.query(
        `INSERT INTO messages (id, raw, size, sha256, envelope_from, header_from, header_to, subject, header_date, message_id_header, received_at)
         VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [row.queueId, piece, piece.length, row.envelopeFrom, metadata.from, metadata.to, metadata.subject, metadata.date, metadata.messageId, row.receivedAt],
      );
      if (inserted.rowCount === 0) return 'exists';
    } else {
      await db.query('UPDATE messages SET raw = raw || $2, size = size + $3 WHERE id = $1', [row.queueId, piece, piece.length]);
    }
  }
  await db.query('UPDATE messages SET sha256 = $2 WHERE id = $1', [row.queueId, body.sha256]);
  return 'inserted';
}
