/**
 * The per-session cache of RETR prefetch (retr-prefetch.ts): whole small
 * messages fetched ahead in mailbox-store requests, each handed out once.
 * Bounded in memory: retr-prefetch.ts empties it before a batch asked for
 * on a miss, and reads the next batch ahead only while it holds less than
 * half a batch, so it never holds more than one and a half; and a message
 * older than the maximum age is dropped unread, so one removed behind the
 * session's back (by an administrator) is not served from here for long after.
 */

/** How long a prefetched message may be served from the cache. */
export const PREFETCH_MAX_AGE_MS = 10_000;

/** Messages by uid, from the prefetches of one session. */
export class PrefetchedMessages {
  readonly #messages = new Map<string, { data: Buffer; fetchedAt: number }>();
  /** Octets of the messages held, kept as they come and go (asked at every RETR). */
  #octets = 0;
  /** The read-ahead request in flight, if any (retr-prefetch.ts). */
  readAhead: Promise<void> | undefined;
  /** The highest message number asked for so far, so read-ahead goes on from there. */
  lastRequested = 0;

  constructor(
    private readonly maxAgeMs = PREFETCH_MAX_AGE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The message with this uid, removed from the cache; undefined when not held (or too old). */
  take(uid: string): Buffer | undefined {
    const held = this.#messages.get(uid);
    if (held === undefined) return undefined;
    this.#remove(uid, held.data);
    return this.now() - held.fetchedAt > this.maxAgeMs ? undefined : held.data;
  }

  /** Whether a message with this uid is held. */
  has(uid: string): boolean {
    return this.#messages.has(uid);
  }

  /** Adds a batch (a uid already held keeps its first copy). */
  add(messages: ReadonlyMap<string, Buffer>): void {
    const fetchedAt = this.now();
    for (const [uid, held] of this.#messages) if (fetchedAt - held.fetchedAt > this.maxAgeMs) this.#remove(uid, held.data);
    for (const [uid, data] of messages) {
      if (this.#messages.has(uid)) continue;
      this.#messages.set(uid, { data, fetchedAt });
      this.#octets += data.length;
    }
  }

  /** Drops everything held. */
  clear(): void {
    this.#messages.clear();
    this.#octets = 0;
  }

  /** Octets held (messages too old to serve included, until dropped). */
  get octets(): number {
    return this.#octets;
  }

  #remove(uid: string, data: Buffer): void {
    this.#messages.delete(uid);
    this.#octets -= data.length;
  }
}
