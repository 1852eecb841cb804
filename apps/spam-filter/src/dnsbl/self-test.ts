/**
 * The RFC 5782 §5 self-test of a DNS list zone, asked of DNS directly
 * (never the cache):
 * - IP lists MUST list 127.0.0.2 and MUST NOT list 127.0.0.1. IPv6 lists
 *   MUST list ::FFFF:7F00:2 (noted, not required: some lists carry IPv6
 *   entries without the test point) and MUST NOT list ::FFFF:7F00:1 (a
 *   list that does is broken).
 * - Domain lists MUST list the reserved name TEST and MUST NOT list INVALID.
 * A zone that lists nothing, lists everything, answers with an error code
 * or does not answer fails, and is taken out of use until it passes again.
 */
import { dnsblQueryName, type DnsResolver } from '@mail/dns';
import { readCodes } from './answer-codes';
import type { ZoneHealthState } from './zone-health';

export type ZoneKind = 'ip' | 'domain';

type Probe = 'listed' | 'not-listed' | 'error-code' | 'no-answer';

async function probe(resolver: DnsResolver, name: string): Promise<{ probe: Probe; codes: string[] }> {
  const answer = await resolver.resolve(name, 'A');
  if (answer.status === 'timeout' || answer.status === 'servfail') return { probe: 'no-answer', codes: [] };
  if (answer.status !== 'ok') return { probe: 'not-listed', codes: [] };
  const codes = answer.records.map((r) => r.address);
  return { probe: readCodes(codes) === 'listed' ? 'listed' : 'error-code', codes };
}

function describe(name: string, result: { probe: Probe; codes: string[] }): string {
  return `${name} ${result.probe}${result.codes.length > 0 ? ` (${result.codes.join(',')})` : ''}`;
}

/** Runs the self-test of `zone`; the state says whether to use it and what was found. */
export async function selfTestZone(resolver: DnsResolver, zone: string, kind: ZoneKind, now = new Date()): Promise<ZoneHealthState> {
  const checkedAt = now.toISOString();
  const [mustList, mustNotList] = kind === 'ip' ? [dnsblQueryName('127.0.0.2', zone), dnsblQueryName('127.0.0.1', zone)] : [`test.${zone}`, `invalid.${zone}`];
  const [positive, negative] = await Promise.all([probe(resolver, mustList), probe(resolver, mustNotList)]);
  const healthy = positive.probe === 'listed' && negative.probe === 'not-listed';
  const detail = `self-test ${healthy ? 'passed' : 'failed'}: ${describe(mustList, positive)}, ${describe(mustNotList, negative)}`;
  if (kind === 'domain' || !healthy) return { healthy, detail, checkedAt };
  const [v6Positive, v6Negative] = await Promise.all([probe(resolver, dnsblQueryName('::ffff:7f00:2', zone)), probe(resolver, dnsblQueryName('::ffff:7f00:1', zone))]);
  if (v6Negative.probe === 'listed' || v6Negative.probe === 'error-code') {
    return { healthy: false, detail: `self-test failed: ${describe('::FFFF:7F00:1', v6Negative)}`, checkedAt };
  }
  const ipv6 = v6Positive.probe === 'listed';
  return { healthy, detail: `${detail}${ipv6 ? ', ::FFFF:7F00:2 listed (IPv6 list)' : ''}`, checkedAt, ipv6 };
}
