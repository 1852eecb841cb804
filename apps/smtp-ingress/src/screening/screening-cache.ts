/**
 * DNSBL screening answers reused per client IP for as long as spam-filter
 * says they hold (the remaining DNS TTL of the list answers behind them,
 * RFC 5782 §2.1 — as a resolver would cache them), shared by every session
 * of the process: a client that connects again, as most senders do, costs
 * no request. Bounded: the least recently used address is forgotten first.
 * Answers that hold for no time (a zone did not answer) and failures
 * (unavailable: fail open) are not kept, so the next connection asks again;
 * connections from one address at the same time share one request.
 */
import type { ClientScreening, ScreenOutcome } from './client-screening';

export interface ScreeningCacheOptions {
  /** Client addresses remembered at most. */
  readonly maxEntries: number;
  readonly now?: () => number;
}

export class CachedClientScreening implements ClientScreening {
  /** By client IP, in order of last use (Map order). */
  readonly #answers = new Map<string, { outcome: ScreenOutcome; expiresAt: number }>();
  readonly #asking = new Map<string, Promise<ScreenOutcome>>();
  readonly #now: () => number;

  constructor(
    private readonly inner: ClientScreening,
    private readonly options: ScreeningCacheOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  screen(clientIp: string): Promise<ScreenOutcome> {
    const known = this.#answers.get(clientIp);
    if (known !== undefined) {
      this.#answers.delete(clientIp);
      if (known.expiresAt > this.#now()) {
        this.#answers.set(clientIp, known);
        return Promise.resolve(known.outcome);
      }
    }
    let asking = this.#asking.get(clientIp);
    if (asking === undefined) {
      asking = this.inner.screen(clientIp).then((outcome) => {
        this.#asking.delete(clientIp);
        this.#remember(clientIp, outcome);
        return outcome;
      });
      this.#asking.set(clientIp, asking);
    }
    return asking;
  }

  /** Addresses remembered now (for tests and metrics). */
  get size(): number {
    return this.#answers.size;
  }

  #remember(clientIp: string, outcome: ScreenOutcome): void {
    if (outcome.action === 'unavailable' || !(outcome.ttlSeconds !== undefined && outcome.ttlSeconds > 0)) return;
    this.#answers.set(clientIp, { outcome, expiresAt: this.#now() + outcome.ttlSeconds * 1000 });
    for (const oldest of this.#answers.keys()) {
      if (this.#answers.size <= this.options.maxEntries) break;
      this.#answers.delete(oldest);
    }
  }
}
