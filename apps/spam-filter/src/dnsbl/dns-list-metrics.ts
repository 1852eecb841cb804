/**
 * Metrics of the DNS list lookups:
 * - `mail_dnsbl_queries_total{zone,result}`: DNS queries by outcome
 *   (listed, not_listed, error_code, timeout, servfail), and answers served
 *   from the Redis cache (`cached`), which ask nothing;
 * - `mail_dnsbl_query_duration_seconds{zone}`: time of the DNS queries;
 * - `mail_dnsbl_zone_healthy{zone}`: 1 while a zone is in use, 0 while it is out.
 * The query counter of every configured zone and result is exported at 0
 * from start-up, so hits and errors show (as 0) before the first lookup,
 * even while a zone is out of use and asked nothing.
 */
import type { Meter } from '@opentelemetry/api';
import type { ZoneHealth } from './zone-health';

export const QUERY_RESULTS = ['listed', 'not_listed', 'error_code', 'timeout', 'servfail', 'cached'] as const;
export type QueryResult = (typeof QUERY_RESULTS)[number];

export interface DnsListMetrics {
  query(zone: string, result: QueryResult, seconds?: number): void;
}

/** For tests and tools that do not export metrics. */
export const noDnsListMetrics: DnsListMetrics = { query: () => undefined };

/** `zones`: the configured zones, whose query counters exist at 0 from start-up. */
export function createDnsListMetrics(meter: Meter, health: ZoneHealth, zones: readonly string[] = []): DnsListMetrics {
  const queries = meter.createCounter('mail_dnsbl_queries_total', { description: 'DNS list lookups by zone and result (cached: served from Redis, no DNS query)' });
  const duration = meter.createHistogram('mail_dnsbl_query_duration_seconds', {
    description: 'Duration of DNS list queries',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  });
  const healthy = meter.createObservableGauge('mail_dnsbl_zone_healthy', { description: '1 while a DNS list zone is in use, 0 while its self-test or answers take it out' });
  healthy.addCallback((result) => {
    for (const [zone, state] of health.lastSeen()) result.observe(state.healthy ? 1 : 0, { zone });
  });
  for (const zone of zones) for (const result of QUERY_RESULTS) queries.add(0, { zone, result });
  return {
    query(zone, result, seconds) {
      queries.add(1, { zone, result });
      if (seconds !== undefined) duration.record(seconds, { zone });
    },
  };
}
