/**
 * Fills the search index (message_search_text) off the delivery path:
 * delivery only queues a message (migration 004's trigger), and its text
 * is extracted later, in batches, each batch one transaction over claimed
 * rows —
 *
 * - by a SEARCH TEXT/BODY, for the pending messages of its folder, for at
 *   most SEARCH_INDEX_BUDGET; what is left is scanned raw by that SEARCH
 *   (search-query.ts) and indexed by the next one or the background;
 * - by the background indexer, anywhere, once deliveries have been quiet
 *   for SEARCH_INDEX_IDLE_AFTER (so it takes spare CPU, not a delivery's:
 *   issue 15), batch after batch while they stay quiet.
 *
 * Batches are short (BATCH_MESSAGES, BATCH_TIME_MS, BATCH_TEXT_CHARS), as
 * an expunge of a claimed message waits for the batch's commit.
 */
import { DEFAULT_SEARCH_TEXT_LIMITS, type SearchTextLimits } from '@mail/message-text';
import type { Logger } from '@mail/telemetry';
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import type { IndexTrigger, SearchIndexMetrics } from './search-index-metrics';
import { extractForIndex } from './search-text-extraction';
import { claimPending, readStoredPrefixes, writeSearchTexts, type PendingMessage, type PendingScope, type SearchTextRow } from './search-text-rows';

/** Messages claimed per batch. */
export const BATCH_MESSAGES = 64;
/** A batch stops taking messages after this long (it always takes one). */
export const BATCH_TIME_MS = 250;
/** A batch stops taking messages once it holds this many characters of text (they travel in one UPDATE). */
export const BATCH_TEXT_CHARS = 8 * 1024 * 1024;
/** Octets of stored messages read from PostgreSQL per query. */
const READ_GROUP_OCTETS = 4 * 1024 * 1024;
/** The background's pause after a failed batch (at least; SEARCH_INDEX_IDLE_AFTER when longer). */
const BACKGROUND_RETRY_MS = 5_000;

export interface SearchIndexerOptions {
  readonly pool: Pool;
  readonly log: Pick<Logger, 'warn'>;
  readonly metrics: SearchIndexMetrics;
  /** Longest a SEARCH spends indexing its folder first. */
  readonly folderBudgetMs: number;
  /** Quiet time after the last delivery before the background indexes; 0: no background indexing. */
  readonly idleAfterMs: number;
  /** Octets of a message read for its text. */
  readonly maxOctets: number;
  readonly limits?: SearchTextLimits;
}

/** Claimed messages in groups of at most READ_GROUP_OCTETS read (a larger message alone). */
function readGroups(pending: readonly PendingMessage[], maxOctets: number): PendingMessage[][] {
  const groups: PendingMessage[][] = [];
  let current: PendingMessage[] = [];
  let octets = 0;
  for (const message of pending) {
    const size = Math.min(message.size, maxOctets);
    if (current.length > 0 && octets + size > READ_GROUP_OCTETS) {
      groups.push(current);
      current = [];
      octets = 0;
    }
    current.push(message);
    octets += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SearchIndexer {
  readonly #options: SearchIndexerOptions;
  readonly #limits: SearchTextLimits;
  #lastDelivery = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #turn: Promise<void> | undefined;
  #stopped = false;

  constructor(options: SearchIndexerOptions) {
    this.#options = options;
    this.#limits = options.limits ?? DEFAULT_SEARCH_TEXT_LIMITS;
  }

  /** Indexes the pending messages of a folder until none is left or the budget is spent; how many it indexed. */
  async indexFolder(mailboxId: string): Promise<number> {
    const deadline = performance.now() + this.#options.folderBudgetMs;
    let indexed = 0;
    while (performance.now() < deadline) {
      const batch = await this.#indexBatch({ mailboxId }, deadline, 'search');
      if (batch === 0) break;
      indexed += batch;
    }
    return indexed;
  }

  /** A delivery happened: the background waits for the next quiet spell. */
  noteDelivery(): void {
    this.#lastDelivery = performance.now();
  }

  /** Starts the background indexer (unless SEARCH_INDEX_IDLE_AFTER is 0). */
  start(): void {
    if (this.#options.idleAfterMs > 0) this.#schedule(this.#options.idleAfterMs);
  }

  /** Stops the background; waits for a batch under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#turn;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#turn = this.#backgroundTurn().finally(() => (this.#turn = undefined));
    }, delayMs);
    this.#timer.unref();
  }

  async #backgroundTurn(): Promise<void> {
    const quietFor = performance.now() - this.#lastDelivery;
    if (quietFor < this.#options.idleAfterMs) return this.#schedule(this.#options.idleAfterMs - quietFor);
    try {
      const indexed = await this.#indexBatch('anywhere', performance.now() + BATCH_TIME_MS, 'background');
      // more may be pending: the next batch at once; else look again after the quiet time
      this.#schedule(indexed > 0 ? 0 : this.#options.idleAfterMs);
    } catch (error) {
      this.#options.log.warn({ err: error }, 'background search indexing failed; trying again later');
      this.#schedule(Math.max(BACKGROUND_RETRY_MS, this.#options.idleAfterMs));
    }
  }

  /** One transaction: claim, read, extract (one event-loop turn per message), write. */
  #indexBatch(scope: PendingScope, deadline: number, trigger: IndexTrigger): Promise<number> {
    const { pool, maxOctets, metrics } = this.#options;
    const batchEnd = Math.min(deadline, performance.now() + BATCH_TIME_MS);
    return withTransaction(pool, async (client) => {
      const pending = await claimPending(client, scope, BATCH_MESSAGES);
      const texts: SearchTextRow[] = [];
      let chars = 0;
      const full = () => texts.length > 0 && (performance.now() >= batchEnd || chars >= BATCH_TEXT_CHARS);
      for (const group of readGroups(pending, maxOctets)) {
        if (full()) break;
        const prefixes = await readStoredPrefixes(
          client,
          group.map((message) => message.messageId),
          maxOctets,
        );
        for (const [messageId, raw] of prefixes) {
          if (full()) break;
          const { header, body, extraction } = await extractForIndex(raw, this.#limits);
          texts.push({ messageId, header, body, extraction });
          chars += header.length + body.length;
          await nextTurn();
        }
      }
      // the claimed messages not reached stay pending (their locks end with the transaction)
      await writeSearchTexts(client, texts);
      metrics.indexed('decoded', trigger, texts.filter((text) => text.extraction === 'decoded').length);
      metrics.indexed('raw', trigger, texts.filter((text) => text.extraction === 'raw').length);
      return texts.length;
    });
  }
}
