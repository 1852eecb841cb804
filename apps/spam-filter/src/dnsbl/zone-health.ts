/**
 * Whether each DNS list zone may be used, shared by every replica through
 * Redis. A zone goes out of use when it answers with an error code (see
 * answer-codes.ts) or fails its RFC 5782 §5 self-test, and comes back when
 * a later self-test passes. A zone nobody has judged yet is in use. When
 * Redis cannot be read the zones stay in use (fail open: a listing still
 * needs a real answer to count).
 */
import type { Redis } from 'ioredis';
import type { RedisBatch } from '../redis-batch';

export interface ZoneHealthState {
  readonly healthy: boolean;
  /** What the last self-test found, or why the zone went out of use. */
  readonly detail?: string;
  readonly checkedAt?: string;
  /**
   * The zone lists ::FFFF:7F00:2 (RFC 5782 §5), as an IPv6 list must. Shown to
   * operators only: a zone without it is still asked about IPv6 clients, since
   * some lists carry IPv6 entries without the test point.
   */
  readonly ipv6?: boolean;
}

const unknown: ZoneHealthState = { healthy: true };

export class ZoneHealth {
  private readonly known = new Map<string, ZoneHealthState>();

  /** `stateTtlMs`: how long a judgement stands without a new self-test (then the zone is unknown again). */
  constructor(
    private readonly redis: Redis,
    private readonly stateTtlMs: number,
  ) {}

  /** The shared state of each zone (one Redis round trip); remembered for the gauge. */
  async states(zones: readonly string[]): Promise<Map<string, ZoneHealthState>> {
    if (zones.length === 0) return new Map();
    return this.remember(zones, await this.redis.mget(...zones.map(healthKey)).catch(() => zones.map(() => null)));
  }

  /** states(), read in a batch's round trip. */
  async statesIn(batch: RedisBatch, zones: readonly string[]): Promise<Map<string, ZoneHealthState>> {
    if (zones.length === 0) return new Map();
    const values = await batch.queue<(string | null)[]>((pipeline) => pipeline.mget(...zones.map(healthKey))).catch(() => zones.map(() => null));
    return this.remember(zones, values);
  }

  /** What Redis holds of each zone; without an answer, the last state seen or unknown. */
  private remember(zones: readonly string[], values: readonly (string | null)[]): Map<string, ZoneHealthState> {
    const result = new Map<string, ZoneHealthState>();
    zones.forEach((zone, i) => {
      const state = parseState(values[i] ?? null) ?? this.known.get(zone) ?? unknown;
      result.set(zone, state);
      this.known.set(zone, state);
    });
    return result;
  }

  /** Take a zone out of use at once, e.g. after an error-code answer; the next passing self-test brings it back. */
  async markUnhealthy(zone: string, detail: string): Promise<void> {
    const previous = this.known.get(zone);
    await this.record(zone, { healthy: false, detail, checkedAt: new Date().toISOString(), ...(previous?.ipv6 === undefined ? {} : { ipv6: previous.ipv6 }) });
  }

  async record(zone: string, state: ZoneHealthState): Promise<void> {
    this.known.set(zone, state);
    await this.redis.set(healthKey(zone), JSON.stringify(state), 'PX', this.stateTtlMs).catch(() => undefined);
  }

  /** The last state seen of each zone, for the `mail_dnsbl_zone_healthy` gauge. */
  lastSeen(): ReadonlyMap<string, ZoneHealthState> {
    return this.known;
  }
}

function healthKey(zone: string): string {
  return `dnsxl:health:${zone}`;
}

function parseState(value: string | null): ZoneHealthState | undefined {
  if (value === null) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<ZoneHealthState>;
    return typeof parsed.healthy === 'boolean' ? (parsed as ZoneHealthState) : undefined;
  } catch {
    return undefined;
  }
}
