/**
 * Look a client IP up in every configured DNSBL zone at once, with answers
 * cached in Redis (shared by all replicas) for the DNS TTL, negative answers
 * too. A zone that errs or times out does not count as a listing: when no
 * zone could answer, the message is still delivered, marked unchecked
 * (fail open).
 */
import type { Redis } from 'ioredis';
import { lookupDnsbl, type DnsResolver } from '@mail/dns';
import { isPrivateAddress } from './private-address';
import type { ZoneSpec } from './zone-spec';

export interface ZoneResult {
  readonly zone: string;
  readonly listed: boolean;
  readonly codes: readonly string[];
  readonly weight: number;
  readonly error?: string;
  readonly cached: boolean;
}

export interface DnsblOutcome {
  readonly skipped?: 'private-address' | 'no-zones';
  readonly results: readonly ZoneResult[];
  /** Every zone failed: nothing was checked. */
  readonly unchecked: boolean;
  /** Sum of the weights of the zones that list the client. */
  readonly score: number;
}

/** RFC 5782 §2.1: codes outside 127.0.0.0/8 are not listings; Spamhaus uses 127.255.255.x for errors. */
const errorCodes = new Set(['127.255.255.252', '127.255.255.254', '127.255.255.255']);
const negativeTtlSeconds = 300;
const maxTtlSeconds = 86_400;

interface CachedAnswer {
  listed: boolean;
  codes: string[];
}

export class DnsblChecker {
  constructor(
    private readonly resolver: DnsResolver,
    private readonly redis: Redis,
    private readonly zones: readonly ZoneSpec[],
    private readonly checkPrivate: boolean,
  ) {}

  async check(clientIp: string): Promise<DnsblOutcome> {
    // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; IPv4 lists want a.b.c.d.
    const ip = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(clientIp)?.[1] ?? clientIp;
    if (this.zones.length === 0) return { skipped: 'no-zones', results: [], unchecked: false, score: 0 };
    if (!this.checkPrivate && isPrivateAddress(ip)) return { skipped: 'private-address', results: [], unchecked: false, score: 0 };
    const results = await Promise.all(this.zones.map((zone) => this.checkZone(ip, zone)));
    const score = results.filter((r) => r.listed).reduce((sum, r) => sum + r.weight, 0);
    return { results, unchecked: results.every((r) => r.error !== undefined), score };
  }

  private async checkZone(ip: string, spec: ZoneSpec): Promise<ZoneResult> {
    const key = `dnsbl:${spec.zone}:${ip}`;
    const cached = await this.redis.get(key).catch(() => null);
    if (cached) {
      const answer = JSON.parse(cached) as CachedAnswer;
      return this.interpret(spec, answer, true);
    }
    const result = await lookupDnsbl(this.resolver, ip, spec.zone);
    if ('error' in result) return { zone: spec.zone, listed: false, codes: [], weight: spec.weight, error: result.error, cached: false };
    if (result.codes.some((code) => errorCodes.has(code) || !code.startsWith('127.'))) {
      return { zone: spec.zone, listed: false, codes: result.codes, weight: spec.weight, error: `error code ${result.codes.join(',')}`, cached: false };
    }
    const answer: CachedAnswer = { listed: result.listed, codes: [...result.codes] };
    const ttl = Math.min(Math.max(result.ttl ?? negativeTtlSeconds, 1), maxTtlSeconds);
    await this.redis.set(key, JSON.stringify(answer), 'EX', ttl).catch(() => undefined);
    return this.interpret(spec, answer, false);
  }

  private interpret(spec: ZoneSpec, answer: CachedAnswer, cached: boolean): ZoneResult {
    const counted = answer.codes.filter((code) => (spec.matches ? spec.matches(code) : code.startsWith('127.')));
    return { zone: spec.zone, listed: answer.listed && counted.length > 0, codes: answer.codes, weight: spec.weight, cached };
  }
}
