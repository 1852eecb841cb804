/**
 * One question to one DNS list zone — an IP address (RFC 5782 §2.1, §2.4)
 * or a domain name (§2.3) — with the answer cached in Redis for its DNS TTL
 * (negative answers too, RFC 2308), shared by all replicas. An error-code
 * answer never counts and takes the zone out of use; a timeout or SERVFAIL
 * never counts either (fail open) and is not cached.
 */
import type { Redis } from 'ioredis';
import type { DnsResolver } from '@mail/dns';
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
}

/** A negative answer without an SOA is cached this long; no answer longer than a day. */
const negativeTtlSeconds = 300;
const maxTtlSeconds = 86_400;

interface CachedAnswer {
  codes: string[];
}

export class ZoneQuery {
  constructor(
    private readonly resolver: DnsResolver,
    private readonly redis: Redis,
    private readonly health: ZoneHealth,
    private readonly metrics: DnsListMetrics,
  ) {}

  /** Ask `spec`'s zone the DNS name `queryName` (an IP or a domain in the zone). */
  async ask(spec: ZoneSpec, queryName: string): Promise<ZoneResult> {
    const key = `dnsxl:answer:${queryName.toLowerCase()}`;
    const cached = await this.redis.get(key).catch(() => null);
    if (cached !== null) {
      this.metrics.query(spec.zone, 'cached');
      return interpret(spec, (JSON.parse(cached) as CachedAnswer).codes, true);
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
    await this.redis.set(key, JSON.stringify({ codes } satisfies CachedAnswer), 'EX', Math.min(Math.max(ttl, 1), maxTtlSeconds)).catch(() => undefined);
    const result = interpret(spec, codes, false);
    this.metrics.query(spec.zone, result.listed ? 'listed' : 'not_listed', seconds);
    return result;
  }
}

/** A listing counts when one of its codes is one the spec names (any code when it names none). */
function interpret(spec: ZoneSpec, codes: readonly string[], cached: boolean): ZoneResult {
  const listed = codes.some((code) => spec.matches?.(code) ?? true);
  return { zone: spec.zone, listed, codes, weight: spec.weight, cached };
}

/** The result for a zone that is out of use: asked nothing, counts nothing. */
export function outOfUse(spec: ZoneSpec, detail: string | undefined): ZoneResult {
  return { zone: spec.zone, listed: false, codes: [], weight: spec.weight, error: `zone out of use${detail ? `: ${detail}` : ''}`, cached: false };
}
