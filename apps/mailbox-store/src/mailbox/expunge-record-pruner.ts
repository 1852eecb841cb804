/**
 * Ends the life of old expunge records (005_expunge_retention.sql): those
 * older than the retention are deleted, and each folder that loses some
 * remembers the highest modseq it forgot, so that a client resynchronising
 * from before it gets every absent UID instead (imap/absent-uids.ts).
 * Dovecot likewise keeps expunges only as long as its transaction log.
 *
 * Runs at start-up and then at every interval, on whichever replica takes
 * the advisory lock first (the others skip that round); each transaction
 * prunes a bounded batch so that no expunge waits long behind it. Lock
 * order as every expunge: the folder rows, then the records.
 */
import type { Logger } from '@mail/telemetry';
import type { Pool } from 'pg';

/** Advisory lock of the pruning round (ASCII "xprn"); unique among mailbox-store's locks. */
const PRUNE_LOCK = 0x7870726e;
/** Records deleted per transaction at most. */
const BATCH = 10_000;

export interface ExpungeRecordPrunerOptions {
  readonly pool: Pool;
  readonly log: Logger;
  /** Age past which a record is pruned; 0 keeps every record. */
  readonly retentionMs: number;
  /** Time between rounds. */
  readonly intervalMs: number;
}

/** One round: prune every record older than the retention; how many were pruned, or undefined when another replica holds the round. */
export async function pruneExpungeRecords(pool: Pool, retentionMs: number): Promise<number | undefined> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [PRUNE_LOCK]);
    if (rows[0]?.locked !== true) return undefined;
    try {
      const cutoff = new Date(Date.now() - retentionMs);
      let pruned = 0;
      for (;;) {
        await client.query('BEGIN');
        // The folders first: each learns the highest modseq it is about to forget
        await client.query(
          `UPDATE mailboxes mb SET expunges_forgotten_modseq = GREATEST(mb.expunges_forgotten_modseq, old.modseq)
             FROM (SELECT mailbox_id, max(modseq) AS modseq FROM (
                     SELECT mailbox_id, modseq FROM expunged_entries WHERE expunged_at < $1 ORDER BY expunged_at LIMIT $2) batch
                   GROUP BY mailbox_id) old
            WHERE mb.id = old.mailbox_id`,
          [cutoff, BATCH],
        );
        // Then every record at or below its folder's forgotten modseq and old enough (a record refreshed meanwhile stays)
        const deleted = await client.query(
          `DELETE FROM expunged_entries e USING mailboxes mb
            WHERE e.mailbox_id = mb.id AND e.expunged_at < $1 AND e.modseq <= mb.expunges_forgotten_modseq
              AND e.ctid = ANY (ARRAY(SELECT ctid FROM expunged_entries WHERE expunged_at < $1 ORDER BY expunged_at LIMIT $2))`,
          [cutoff, BATCH],
        );
        await client.query('COMMIT');
        pruned += deleted.rowCount ?? 0;
        if ((deleted.rowCount ?? 0) < BATCH) return pruned;
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRUNE_LOCK]);
    }
  } finally {
    client.release();
  }
}

export class ExpungeRecordPruner {
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;

  constructor(private readonly options: ExpungeRecordPrunerOptions) {}

  start(): void {
    if (this.options.retentionMs <= 0) return;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#round;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#round = this.#prune().finally(() => {
        this.#round = undefined;
        if (this.#timer !== undefined) this.#schedule(this.options.intervalMs);
      });
    }, delayMs).unref();
  }

  async #prune(): Promise<void> {
    try {
      const pruned = await pruneExpungeRecords(this.options.pool, this.options.retentionMs);
      if (pruned !== undefined && pruned > 0) this.options.log.info({ pruned }, 'pruned expunge records past EXPUNGE_RECORD_RETENTION');
    } catch (error) {
      this.options.log.warn({ err: error }, 'pruning expunge records failed; next round at the next interval');
    }
  }
}
