/**
 * Stale-if-error for recipient lookups: every RCPT asks mailbox-store
 * afresh, but when it cannot answer (restarting, crashed, partitioned) a
 * "local" answer it gave for the same address within the stale limit is
 * used instead of 451 4.4.3, so mail for known users keeps flowing while
 * the store is down; the message waits in JetStream until the store is back.
 * Only positive answers are reused: a user created while the store is down
 * still gets 451 (retry), never a permanent 550 from a stale negative.
 */
import type { ResolveRecipientResponse } from '@mail/contracts';
import type { RecipientDirectory } from './recipient-directory';

/** Settings of the stale cache. */
export interface StaleDirectoryOptions {
  /** How old a remembered "local" answer may be when the directory fails; 0 disables. */
  readonly maxStaleMs: number;
  /** Addresses remembered at most (oldest forgotten first). */
  readonly maxEntries?: number;
  /** Called when a stale answer is used (for the log). */
  readonly onStale?: (address: string, ageMs: number) => void;
  readonly now?: () => number;
}

type LocalAnswer = Extract<ResolveRecipientResponse, { result: 'local' }>;

/** A RecipientDirectory that falls back to recent positive answers when the inner one fails. */
export class StaleIfErrorDirectory implements RecipientDirectory {
  readonly #answers = new Map<string, { answer: LocalAnswer; at: number }>();
  readonly #now: () => number;

  constructor(
    private readonly inner: RecipientDirectory,
    private readonly options: StaleDirectoryOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  async resolve(address: string): Promise<ResolveRecipientResponse> {
    const key = address.toLowerCase();
    try {
      const answer = await this.inner.resolve(address);
      this.#remember(key, answer);
      return answer;
    } catch (error) {
      const known = this.#answers.get(key);
      const age = known === undefined ? Infinity : this.#now() - known.at;
      if (known === undefined || age > this.options.maxStaleMs) throw error;
      this.options.onStale?.(address, age);
      return known.answer;
    }
  }

  #remember(key: string, answer: ResolveRecipientResponse): void {
    this.#answers.delete(key); // re-insert: Map order is age order
    if (answer.result !== 'local' || this.options.maxStaleMs <= 0) return;
    this.#answers.set(key, { answer, at: this.#now() });
    const limit = this.options.maxEntries ?? 10_000;
    while (this.#answers.size > limit) {
      const oldest = this.#answers.keys().next().value;
      if (oldest === undefined) break;
      this.#answers.delete(oldest);
    }
  }
}
