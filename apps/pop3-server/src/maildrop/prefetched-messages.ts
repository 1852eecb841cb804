/**
 * The per-session cache of RETR prefetch (retr-prefetch.ts): whole small
 * messages fetched ahead in one mailbox-store request, each handed out once.
 * Bounded in memory: it holds one batch at a time (the next batch replaces
 * it), and a batch older than its maximum age is dropped unread, so a message
 * removed behind the session's back (by an administrator) is not served from
 * here for long after.
 */

/** How long a prefetched batch may be served from. */
export const PREFETCH_MAX_AGE_MS = 10_000;

/** Messages by uid, from the last prefetch of one session. */
export class PrefetchedMessages {
  #messages = new Map<string, Buffer>();
  #fetchedAt = 0;

  constructor(
    private readonly maxAgeMs = PREFETCH_MAX_AGE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The message with this uid, removed from the cache; undefined when not held (or the batch is too old). */
  take(uid: string): Buffer | undefined {
    if (this.#messages.size === 0) return undefined;
    if (this.now() - this.#fetchedAt > this.maxAgeMs) {
      this.clear();
      return undefined;
    }
    const message = this.#messages.get(uid);
    this.#messages.delete(uid);
    return message;
  }

  /** Replaces what is held with a new batch. */
  replace(messages: ReadonlyMap<string, Buffer>): void {
    this.#messages = new Map(messages);
    this.#fetchedAt = this.now();
  }

  /** Drops everything held. */
  clear(): void {
    this.#messages.clear();
  }

  /** Octets held. */
  get octets(): number {
    let octets = 0;
    for (const message of this.#messages.values()) octets += message.length;
    return octets;
  }
}
