/**
 * The `messages` row of a delivery, written piece by piece: an INSERT with
 * the first piece, then `raw = raw || piece` for each further one, and the
 * SHA-256 once the last piece is in (with the INSERT when there is only
 * one) — all inside the caller's transaction, so a crash or a corrupt body
 * leaves nothing behind. `size` grows with
 * `raw`, keeping the CHECK (size = octet_length(raw)) true after every
 * statement. node-postgres sends a Buffer parameter as binary (format 1),
 * so each statement carries one piece once, never a hex copy.
 *
 * Each append rewrites the stored value (PostgreSQL has no in-place append
 * for bytea), so a message of n pieces writes about n²/2 pieces on the
 * server: a few for the largest messages, one statement for most (see
 * STORE_WRITE_CHUNK).
 *
 * A group of small messages, each read whole, is written by one multi-row
 * INSERT instead (group commit), in the statement of its entries.
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
  /** Octets of all pieces together, as the reference announces them. */
  readonly size: number;
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
 * committed it first (nothing more is read or written then). When the first
 * piece holds every octet (most messages), the reader is finished before the
 * INSERT, so the SHA-256 goes in with it: one statement instead of two.
 */
export async function insertMessage(db: Queryable, row: MessageRow, body: MessagePieces): Promise<'inserted' | 'exists'> {
  const { metadata } = row;
  const pieces = body.pieces()[Symbol.asyncIterator]();
  try {
    const first = await pieces.next();
    const piece = first.done ? Buffer.alloc(0) : first.value;
    // Only piece: drive the reader to its end (it verifies size and digest there, or yields more of a corrupt body).
    let next = piece.length === body.size ? await pieces.next() : undefined;
    const sha256 = next?.done === true ? body.sha256 : '';
    const inserted = await db.query(
      `INSERT INTO messages (id, raw, size, sha256, envelope_from, header_from, header_to, subject, header_date, message_id_header, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
      [row.queueId, piece, piece.length, sha256, row.envelopeFrom, metadata.from, metadata.to, metadata.subject, metadata.date, metadata.messageId, row.receivedAt],
    );
    if (inserted.rowCount === 0) return 'exists';
    if (sha256 !== '') return 'inserted';
    for (next ??= await pieces.next(); next.done !== true; next = await pieces.next()) {
      await db.query('UPDATE messages SET raw = raw || $2, size = size + $3 WHERE id = $1', [row.queueId, next.value, next.value.length]);
    }
    await db.query('UPDATE messages SET sha256 = $2 WHERE id = $1', [row.queueId, body.sha256]);
    return 'inserted';
  } finally {
    // A reader stopped early (the row existed already, or a statement failed) stops the body's reader too.
    await pieces.return?.(undefined);
  }
}

/** A small message read whole: the stored octets and their SHA-256. */
export interface WholeMessageRow extends MessageRow {
  readonly raw: Buffer;
  readonly sha256: string;
}

const messageColumns = ['id', 'raw', 'size', 'sha256', 'envelope_from', 'header_from', 'header_to', 'subject', 'header_date', 'message_id_header', 'received_at'];

/** A statement, or part of one, with its parameters. */
export interface StatementPart {
  readonly sql: string;
  readonly values: readonly unknown[];
}

/**
 * The rows of several messages written by one INSERT (rows that exist
 * already are left alone), as a part of a larger statement (a
 * data-modifying WITH item: group-commit.ts writes the rows and the
 * entries in one statement), its parameters numbered from `firstParameter`.
 * Each `raw` is its own Buffer parameter, sent as binary like a piece
 * above — in an array parameter node-postgres would send it as hex text,
 * twice its size.
 */
export function messageRowsInsert(rows: readonly WholeMessageRow[], firstParameter: number): StatementPart {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const { metadata } = row;
    const first = firstParameter + values.length;
    values.push(row.queueId, row.raw, row.raw.length, row.sha256, row.envelopeFrom, metadata.from, metadata.to, metadata.subject, metadata.date, metadata.messageId, row.receivedAt);
    return `(${messageColumns.map((_, i) => `$${first + i}`).join(', ')})`;
  });
  return { sql: `INSERT INTO messages (${messageColumns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`, values };
}
