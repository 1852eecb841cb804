/**
 * A DnsResolver that keeps answers in memory for as long as DNS says they
 * may be kept, in front of another resolver: records for their smallest
 * TTL (RFC 1035 §3.2.1, RFC 2181 §5.2: the records of one RRset share a
 * TTL), NXDOMAIN and NODATA for the negative TTL their SOA gave (RFC 2308
 * §5: min(SOA TTL, SOA MINIMUM)), and nothing else: a negative answer
 * without an SOA is not kept (RFC 2308 §5), nor is a server failure or a
 * silence (SERVFAIL, timeout: temporary, RFC 2308 §7 allows at most five
 * minutes and we ask again at once). TTLs are capped as common resolvers
 * cap them, so a mistaken week-long TTL does not pin a stale SPF record.
 *
 * The same question asked again while it is in flight waits for that one
 * lookup instead of sending another, whatever its outcome (a batch of
 * messages from one sender asks once). Entries are bounded in number and
 * the least recently used goes first. A kept answer is handed out with its
 * TTLs counted down by the whole seconds it has been kept (the same object
 * to every caller within a second: answers are read-only).
 */
import { normalizeDomainName } from './domain-name';
import type { DnsAnswer, DnsRecord, DnsRecordOf, DnsRecordType, DnsResolver } from './resolver';

/** Longest a positive answer is kept, in seconds, whatever its TTL (Unbound's cache-max-ttl default). */
export const MAX_POSITIVE_TTL_SECONDS = 86_400;
/** Longest a negative answer is kept, in seconds (Unbound's cache-max-negative-ttl default; RFC 2308 §5 suggests one to three hours). */
export const MAX_NEGATIVE_TTL_SECONDS = 3_600;

/** How a question was answered: from the cache, by joining the same question in flight, or by the resolver behind. */
export type CacheOutcome = 'hit' | 'shared' | 'miss';

export interface CachingResolverOptions {
  /** Answers kept at most; the least recently used goes first. 0 keeps none (in-flight questions are still shared). */
  readonly maxEntries: number;
  /** Milliseconds since the epoch; Date.now by default (tests move it). */
  readonly now?: () => number;
  /** Told how each question was answered (metrics). */
  readonly onLookup?: (outcome: CacheOutcome) => void;
}

interface Entry {
  readonly answer: DnsAnswer;
  readonly storedAt: number;
  readonly expiresAt: number;
  /** The answer as last handed out, its TTLs counted down by `elapsed` seconds: reused within the same second. */
  served: { readonly elapsed: number; readonly answer: DnsAnswer };
}

export class CachingResolver implements DnsResolver {
  readonly #inner: DnsResolver;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #onLookup: ((outcome: CacheOutcome) => void) | undefined;
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<DnsAnswer>>();

  constructor(inner: DnsResolver, options: CachingResolverOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 0) throw new RangeError(`maxEntries must be a whole number ≥ 0, got ${options.maxEntries}`);
    this.#inner = inner;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
    this.#onLookup = options.onLookup;
  }

  /** Answers kept now (expired ones included until they are asked for or pushed out). */
  get size(): number {
    return this.#entries.size;
  }

  resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<DnsRecordOf<T>>> {
    const key = `${type} ${normalizeDomainName(name)}`;
    const kept = this.#fresh(key);
    if (kept) {
      this.#onLookup?.('hit');
      return Promise.resolve(kept as DnsAnswer<DnsRecordOf<T>>);
    }
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#onLookup?.('shared');
      return pending as Promise<DnsAnswer<DnsRecordOf<T>>>;
    }
    this.#onLookup?.('miss');
    const lookup = this.#inner.resolve(name, type).then(
      (answer) => {
        this.#inFlight.delete(key);
        this.#keep(key, answer);
        return answer;
      },
      (error: unknown) => {
        this.#inFlight.delete(key);
        throw error;
      },
    );
    this.#inFlight.set(key, lookup);
    return lookup;
  }

  /** The kept answer with its TTLs counted down, or undefined (an expired entry is dropped). */
  #fresh(key: string): DnsAnswer | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = this.#now();
    this.#entries.delete(key);
    if (now >= entry.expiresAt) return undefined;
    this.#entries.set(key, entry);
    const elapsed = Math.floor((now - entry.storedAt) / 1000);
    if (entry.served.elapsed !== elapsed) entry.served = { elapsed, answer: countedDown(entry.answer, elapsed) };
    return entry.served.answer;
  }

  #keep(key: string, answer: DnsAnswer): void {
    const seconds = cacheSeconds(answer);
    if (seconds <= 0 || this.#maxEntries === 0) return;
    const now = this.#now();
    this.#entries.delete(key);
    this.#entries.set(key, { answer, storedAt: now, expiresAt: now + seconds * 1000, served: { elapsed: 0, answer } });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}

/** How long `answer` may be kept, in seconds; 0 for never. */
export function cacheSeconds(answer: DnsAnswer): number {
  switch (answer.status) {
    case 'ok': {
      let least = MAX_POSITIVE_TTL_SECONDS;
      for (const record of answer.records) least = Math.min(least, record.ttl);
      return Math.max(0, least);
    }
    case 'nxdomain':
    case 'nodata':
      // RFC 2308 §5: without an SOA there is no negative TTL, and the answer is not cached.
      return answer.ttl === undefined ? 0 : Math.max(0, Math.min(answer.ttl, MAX_NEGATIVE_TTL_SECONDS));
    case 'servfail':
    case 'timeout':
      return 0;
  }
}

/** `answer` as if `elapsed` seconds had passed since it was received: TTLs less that, never below 0. */
function countedDown(answer: DnsAnswer, elapsed: number): DnsAnswer {
  if (elapsed <= 0) return answer;
  switch (answer.status) {
    case 'ok':
      return { status: 'ok', records: answer.records.map((record): DnsRecord => ({ ...record, ttl: Math.max(0, record.ttl - elapsed) })) };
    case 'nxdomain':
    case 'nodata':
      return answer.ttl === undefined ? answer : { status: answer.status, ttl: Math.max(0, answer.ttl - elapsed) };
    default:
      return answer;
  }
}
