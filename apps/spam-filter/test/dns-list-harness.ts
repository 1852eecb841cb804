/**
 * What the DNS list tests share: a real dns2 server, a Redis key prefix of
 * their own, and the checkers built on them exactly as main.ts builds them.
 */
import { Redis } from 'ioredis';
import { Dns2Resolver } from '@mail/dns';
import { createTestRedisPrefix, startDnsServer, type DnsServerFixture } from '@mail/testing';
import { noDnsListMetrics, type DnsListMetrics } from '../src/dnsbl/dns-list-metrics';
import { DnsblChecker } from '../src/dnsbl/dnsbl-checker';
import { DomainListChecker } from '../src/dnsbl/domain-list-checker';
import { ZoneHealth } from '../src/dnsbl/zone-health';
import { ZoneQuery } from '../src/dnsbl/zone-query';
import { parseZoneSpec } from '../src/dnsbl/zone-spec';

export interface DnsListHarness {
  readonly dns: DnsServerFixture;
  readonly redis: Redis;
  readonly resolver: Dns2Resolver;
  /** A fresh ZoneHealth on the shared Redis state, as another replica would have. */
  health(): ZoneHealth;
  dnsbl(specs: readonly string[], options?: { checkPrivate?: boolean; health?: ZoneHealth; metrics?: DnsListMetrics }): DnsblChecker;
  domainLists(specs: readonly string[], health?: ZoneHealth): DomainListChecker;
  /** DNS questions asked about names in `zone` since `from`. */
  asked(zone: string, from?: number): string[];
  close(): Promise<void>;
}

export async function startDnsListHarness(label: string, timeoutMs = 300): Promise<DnsListHarness> {
  const dns = await startDnsServer();
  const prefix = await createTestRedisPrefix(label);
  const redis = new Redis(prefix.url, { keyPrefix: prefix.prefix });
  const [host = '127.0.0.1', port] = dns.address.split(':');
  const resolver = new Dns2Resolver({ servers: [{ host, port: Number(port) }], timeoutMs });
  const health = () => new ZoneHealth(redis, 3_600_000);
  return {
    dns,
    redis,
    resolver,
    health,
    dnsbl(specs, options = {}) {
      const zoneHealth = options.health ?? health();
      const query = new ZoneQuery(resolver, redis, zoneHealth, options.metrics ?? noDnsListMetrics);
      return new DnsblChecker(
        query,
        zoneHealth,
        specs.map((spec) => parseZoneSpec(spec, 10)),
        options.checkPrivate ?? true,
      );
    },
    domainLists(specs, zoneHealth = health()) {
      return new DomainListChecker(
        new ZoneQuery(resolver, redis, zoneHealth, noDnsListMetrics),
        zoneHealth,
        specs.map((spec) => parseZoneSpec(spec, 10)),
      );
    },
    asked(zone, from = 0) {
      return dns.queries
        .slice(from)
        .map((q) => q.name)
        .filter((name) => name.endsWith(`.${zone}`));
    },
    async close() {
      redis.disconnect();
      await prefix.cleanup();
      await dns.close();
    },
  };
}
