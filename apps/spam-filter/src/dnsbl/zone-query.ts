/**
 * One question to one DNS list zone — an IP address (RFC 5782 §2.1, §2.4)
 * or a domain name (§2.3) — with the answer cached in Redis for its DNS TTL
 * (negative answers too, RFC 2308), shared by all replicas. An error-code
 * answer never counts and takes the zone out of use; a timeout or SERVFAIL
 * never counts either (fail open) and is not cached. A batch of messages
 * reads the cached answers of all its questions in its one Redis round
 * trip and writes the new ones back together (cachedAnswersIn).
 */
import type { Redis } from 'ioredis';
import type { DnsResolver } from '@mail/dns';
import type { RedisBatch } from '../redis-batch';
import { readCodes } from './answer-codes';
import type { DnsListMetrics } from './dns-list-metrics';
import type { ZoneHealth } from './zone-health';
import type { ZoneSpec } from './zone-spec';

export interface ZoneResult {
  readonly zone: string;
  /** The zone lists the subject with a code the spec counts. */
  readonly listed: boolean;
  readonly codes: readonly string[];
  readonly weight: number;
  /** Why the zone gave no usable answer (timeout, servfail, error code, out of use). */
  readonly error?: string;
  readonly cached: boolean;
  /** Until when (epoch ms) the answer holds by its DNS TTL; absent for no usable answer, or one cached before this was recorded. */
  readonly expiresAt?: number;
}

/** A negative answer without an SOA is cached this long; no answer longer than a day. */
const negativeTtlSeconds = 300;
const maxTtlSeconds = 86_400;

interface CachedAnswer {
  codes: string[];
  /** Epoch ms the answer's TTL ends (missing in answers cached by older versions). */
  expiresAt?: number;
}

/** Where answers are cached. A cache that cannot be read is a miss and one that cannot be written is skipped (fail open). */
export interface AnswerCache {
  /** The codes cached for `queryName` (none for a negative answer) and when they expire, or undefined when nothing is cached. */
  read(queryName: string): Promise<CachedAnswer | undefined>;
  write(queryName: string, codes: readonly string[], ttlSeconds: number): Promise<void>;
}

function cachedValue(codes: readonly string[], ttlSeconds: number): string {
  return JSON.stringify({ codes: [...codes], expiresAt: Date.now() + ttlSeconds * 1000 } satisfies CachedAnswer);
}

function answerKey(queryName: string): string {
  return `dnsxl:answer:${queryName.toLowerCase()}`;
}

function parseAnswer(value: string | null): CachedAnswer | undefined {
  return value === null ? undefined : (JSON.parse(value) as CachedAnswer);
}

/**
 * The cached answers of a batch's questions, read ahead in its round trip;
 * answers learned meanwhile are held and written back in one pipeline.
 */
export class BatchAnswerCache implements AnswerCache {
  readonly #writes: { key: string; value: string; ttlSeconds: number }[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly cached: ReadonlyMap<string, CachedAnswer>,
  ) {}

  read(queryName: string): Promise<CachedAnswer | undefined> {
    return Promise.resolve(this.cached.get(answerKey(queryName)));
  }

  write(queryName: string, codes: readonly string[], ttlSeconds: number): Promise<void> {
    this.#writes.push({ key: answerKey(queryName), value: cachedValue(codes, ttlSeconds), ttlSeconds });
    return Promise.resolve();
  }

  /** Writes the answers held, in one round trip; a failure loses nothing but cache entries. */
  async writeBack(): Promise<void> {
    const writes = this.#writes.splice(0);
    if (writes.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { key, value, ttlSeconds } of writes) pipeline.set(key, value, 'EX', ttlSeconds);
    await pipeline.exec().catch(() => undefined);
  }
}

export class ZoneQuery {
  private readonly direct: AnswerCache;

  constructor(
    private readonly resolver: DnsResolver,
    private readonly redis: Redis,
    private readonly health: ZoneHealth,
    private readonly metrics: DnsListMetrics,
  ) {
    this.direct = {
      read: async (queryName) => parseAnswer(await redis.get(answerKey(queryName)).catch(() => null)),
      write: async (queryName, codes, ttlSeconds) => {
        await redis.set(answerKey(queryName), cachedValue(codes, ttlSeconds), 'EX', ttlSeconds).catch(() => undefined);
      },
    };
  }

  /** The cached answers of `queryNames`, read in `batch`'s round trip (none when Redis cannot answer). */
  async cachedAnswersIn(batch: RedisBatch, queryNames: readonly string[]): Promise<BatchAnswerCache> {
    const keys = [...new Set(queryNames.map(answerKey))];
    const cached = new Map<string, CachedAnswer>();
    if (keys.length > 0) {
      const values = await batch.queue<(string | null)[]>((pipeline) => pipeline.mget(...keys)).catch(() => keys.map(() => null));
      keys.forEach((key, i) => {
        const answer = parseAnswer(values[i] ?? null);
        if (answer !== undefined) cached.set(key, answer);
      });
    }
    return new BatchAnswerCache(this.redis, cached);
  }

  /** Ask `spec`'s zone the DNS name `queryName` (an IP or a domain in the zone), through `cache` (Redis, one command each, by default). */
  async ask(spec: ZoneSpec, queryName: string, cache: AnswerCache = this.direct): Promise<ZoneResult> {
    const cached = await cache.read(queryName);
    if (cached !== undefined) {
      this.metrics.query(spec.zone, 'cached');
      return interpret(spec, cached.codes, true, cached.expiresAt);
    }
    const started = performance.now();
    const answer = await this.resolver.resolve(queryName, 'A');
    const seconds = (performance.now() - started) / 1000;
    if (answer.status === 'timeout' || answer.status === 'servfail') {
      this.metrics.query(spec.zone, answer.status, seconds);
      return { zone: spec.zone, listed: false, codes: [], weight: spec.weight, error: answer.status, cached: false };
    }
    const codes = answer.status === 'ok' ? answer.records.map((r) => r.address) : [];
    if (codes.length > 0 && readCodes(codes) === 'error-code') {
      this.metrics.query(spec.zone, 'error_code', seconds);
      await this.health.markUnhealthy(spec.zone, `answered ${codes.join(',')} for ${queryName}`);
      return { zone: spec.zone, listed: false, codes, weight: spec.weight, error: `error code ${codes.join(',')}`, cached: false };
    }
    const ttl = answer.status === 'ok' ? Math.min(...answer.records.map((r) => r.ttl)) : (answer.ttl ?? negativeTtlSeconds);
    const ttlSeconds = Math.min(Math.max(ttl, 1), maxTtlSeconds);
    await cache.write(queryName, codes, ttlSeconds);
    const result = interpret(spec, codes, false, Date.now() + ttlSeconds * 1000);
    this.metrics.query(spec.zone, result.listed ? 'listed' : 'not_listed', seconds);
    return result;
  }
}

/** A listing counts when one of its codes is one the spec names (any code when it names none). */
function interpret(spec: ZoneSpec, codes: readonly string[], cached: boolean, expiresAt: number | undefined): ZoneResult {
  const listed = codes.some((code) => spec.matches?.(code) ?? true);
  return { zone: spec.zone, listed, codes, weight: spec.weight, cached, ...(expiresAt === undefined ? {} : { expiresAt }) };
}

/** The result for a zone that is out of use: asked nothing, counts nothing. */
export function outOfUse(spec: ZoneSpec, detail: string | undefined): ZoneResult {
  return { zone: spec.zone, listed: false, codes: [], weight: spec.weight, error: `zone out of use${detail ? `: ${detail}` : ''}`, cached: false };
}
