/**
 * Look a client IP up in every configured DNSBL zone at once (RFC 5782:
 * IPv4 reversed octets, IPv6 reversed nibbles), answers cached in Redis.
 * Zones out of use (zone-health.ts) are not asked. A zone that errs or
 * times out does not count as a listing: when no zone could answer, the
 * message is still delivered, marked unchecked (fail open).
 */
import { isIP } from 'node:net';
import { dnsblQueryName } from '@mail/dns';
import { isPrivateAddress } from './private-address';
import type { ZoneHealth } from './zone-health';
import { directLookups, type ZoneLookups } from './zone-lookups';
import { outOfUse, type ZoneQuery, type ZoneResult } from './zone-query';
import type { ZoneSpec } from './zone-spec';

export type { ZoneResult } from './zone-query';

export interface DnsblOutcome {
  readonly skipped?: 'private-address' | 'no-zones' | 'not-an-ip';
  readonly results: readonly ZoneResult[];
  /** Every zone failed or was out of use: nothing was checked. */
  readonly unchecked: boolean;
  /** Sum of the weights of the zones that list the client. */
  readonly score: number;
}

/** A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; IPv4 lists want a.b.c.d. */
export function unmappedAddress(clientIp: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(clientIp)?.[1] ?? clientIp;
}

export class DnsblChecker {
  private readonly direct: ZoneLookups;

  constructor(
    query: ZoneQuery,
    health: ZoneHealth,
    readonly zones: readonly ZoneSpec[],
    private readonly checkPrivate: boolean,
  ) {
    this.direct = directLookups(query, health);
  }

  /** Why `ip` is not looked up, if it is not. */
  private skipped(ip: string): DnsblOutcome['skipped'] {
    if (this.zones.length === 0) return 'no-zones';
    if (isIP(ip) === 0) return 'not-an-ip';
    if (!this.checkPrivate && isPrivateAddress(ip)) return 'private-address';
    return undefined;
  }

  /** The DNS names check() asks about `clientIp` (none when it is skipped), so a batch can read their cached answers ahead. */
  queryNames(clientIp: string): string[] {
    const ip = unmappedAddress(clientIp);
    return this.skipped(ip) ? [] : this.zones.map((spec) => dnsblQueryName(ip, spec.zone));
  }

  /**
   * `deadlineMs` bounds the whole check: zones that have not answered by
   * then count as unanswered, and the listings already known still count.
   * `lookups`: a batch's read-ahead lookups; one Redis command each by default.
   */
  async check(clientIp: string, deadlineMs?: number, lookups: ZoneLookups = this.direct): Promise<DnsblOutcome> {
    const ip = unmappedAddress(clientIp);
    const skipped = this.skipped(ip);
    if (skipped) return { skipped, results: [], unchecked: false, score: 0 };
    const states = await lookups.states(this.zones.map((z) => z.zone));
    const deadline = deadlineMs === undefined ? undefined : new Deadline(deadlineMs);
    const results = await Promise.all(
      this.zones.map((spec) => {
        const state = states.get(spec.zone);
        if (state?.healthy === false) return outOfUse(spec, state.detail);
        const answer = lookups.ask(spec, dnsblQueryName(ip, spec.zone));
        return deadline ? deadline.race(answer, { zone: spec.zone, listed: false, codes: [], weight: spec.weight, error: 'no answer before the deadline', cached: false }) : answer;
      }),
    ).finally(() => deadline?.clear());
    const score = results.filter((r) => r.listed).reduce((sum, r) => sum + r.weight, 0);
    return { results, unchecked: results.every((r) => r.error !== undefined), score };
  }
}

/** One timer shared by every zone of a check. */
class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private readonly expired: Promise<void>;

  constructor(ms: number) {
    this.expired = new Promise((resolve) => (this.timer = setTimeout(resolve, ms)));
  }

  race<T>(work: Promise<T>, fallback: T): Promise<T> {
    return Promise.race([work, this.expired.then(() => fallback)]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
