/**
 * Where to deliver mail for a domain (RFC 5321 §5.1): its MX hosts in
 * preference order with their addresses, the implicit MX when it has none,
 * or a verdict the relay can act on — null MX, permanent or temporary failure.
 */
import { normalizeDomainName } from './domain-name';
import type { DnsAnswer, DnsResolver, MxRecord } from './resolver';

/** A host to try, with its addresses: A records first, then AAAA. */
export interface MxHost {
  readonly name: string;
  readonly preference: number;
  readonly addresses: readonly string[];
}

/**
 * - `hosts`: try in order; `implicit` when the domain had no MX records and
 *   its own address records stand in (RFC 5321 §5.1).
 * - `null-mx`: the domain accepts no mail (RFC 7505 §3); bounce.
 * - `permanent`: the domain or every MX host does not resolve; bounce.
 * - `temporary`: DNS failed for now; retry later.
 */
export type MxResult =
  | { readonly kind: 'hosts'; readonly implicit: boolean; readonly hosts: readonly MxHost[] }
  | { readonly kind: 'null-mx' }
  | { readonly kind: 'permanent'; readonly reason: string }
  | { readonly kind: 'temporary'; readonly reason: string };

export interface ResolveMxOptions {
  /** Random source in [0, 1) for ordering equal preferences; Math.random by default. */
  readonly random?: () => number;
}

type Addresses = { readonly addresses: string[] } | { readonly failure: 'temporary' | 'permanent'; readonly reason: string };

/** Resolves the delivery hosts for `domain`. Never throws for DNS outcomes. */
export async function resolveMx(resolver: DnsResolver, domain: string, options: ResolveMxOptions = {}): Promise<MxResult> {
  const name = normalizeDomainName(domain);
  const answer = await resolver.resolve(name, 'MX');
  switch (answer.status) {
    case 'nxdomain':
      return { kind: 'permanent', reason: `${name}: domain does not exist (NXDOMAIN)` };
    case 'servfail':
    case 'timeout':
      return { kind: 'temporary', reason: `${name}: MX lookup failed (${describe(answer)})` };
    case 'nodata':
      return implicitMx(resolver, name);
    case 'ok':
      return explicitMx(resolver, name, answer.records, options.random ?? Math.random);
  }
}

/** RFC 5321 §5.1: no MX records — the domain itself is the host, with preference 0. */
async function implicitMx(resolver: DnsResolver, name: string): Promise<MxResult> {
  const found = await hostAddresses(resolver, name);
  if ('failure' in found) {
    return { kind: found.failure, reason: `${name}: no MX records, and ${found.reason}` };
  }
  return { kind: 'hosts', implicit: true, hosts: [{ name, preference: 0, addresses: found.addresses }] };
}

async function explicitMx(resolver: DnsResolver, name: string, records: readonly MxRecord[], random: () => number): Promise<MxResult> {
  // RFC 7505 §3: a null MX is the single record "0 ." and must not be mixed
  // with other MX records; in a mix the "." entries are simply unusable.
  const usable = records.filter((r) => r.exchange !== '.');
  if (usable.length === 0) return { kind: 'null-mx' };

  const ordered = orderByPreference(lowestPreferenceEach(usable), random);
  const resolved = await Promise.all(ordered.map((mx) => hostAddresses(resolver, mx.exchange)));
  const hosts: MxHost[] = [];
  const failures: string[] = [];
  let temporary = false;
  ordered.forEach((mx, i) => {
    const found = resolved[i];
    if (found === undefined) return;
    if ('failure' in found) {
      failures.push(found.reason);
      temporary ||= found.failure === 'temporary';
    } else {
      hosts.push({ name: mx.exchange, preference: mx.preference, addresses: found.addresses });
    }
  });
  if (hosts.length > 0) return { kind: 'hosts', implicit: false, hosts };
  // RFC 5321 §5.1: MX records present but none usable is an error.
  const reason = `${name}: no MX host has an address (${failures.join('; ')})`;
  return { kind: temporary ? 'temporary' : 'permanent', reason };
}

/** A host listed twice keeps its most preferred entry. */
function lowestPreferenceEach(records: readonly MxRecord[]): MxRecord[] {
  const byHost = new Map<string, MxRecord>();
  for (const record of records) {
    const seen = byHost.get(record.exchange);
    if (!seen || record.preference < seen.preference) byHost.set(record.exchange, record);
  }
  return [...byHost.values()];
}

/** RFC 5321 §5.1: lowest preference first; hosts of equal preference in random order. */
export function orderByPreference<R extends { readonly preference: number }>(records: readonly R[], random: () => number): R[] {
  const shuffled = [...records];
  // Fisher-Yates, then a stable sort keeps the shuffle within each preference.
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as R, shuffled[i] as R];
  }
  return shuffled.sort((a, b) => a.preference - b.preference);
}

/** A and AAAA for one host, A first. Some addresses win over a failure of the other family. */
async function hostAddresses(resolver: DnsResolver, host: string): Promise<Addresses> {
  const [a, aaaa] = await Promise.all([resolver.resolve(host, 'A'), resolver.resolve(host, 'AAAA')]);
  const addresses = [a, aaaa].flatMap((answer) => (answer.status === 'ok' ? answer.records.map((r) => r.address) : []));
  if (addresses.length > 0) return { addresses };
  const failed = [a, aaaa].find((answer) => answer.status === 'servfail' || answer.status === 'timeout');
  if (failed) return { failure: 'temporary', reason: `${host}: address lookup failed (${describe(failed)})` };
  return { failure: 'permanent', reason: `${host}: no A or AAAA records (${a.status === 'nxdomain' ? 'NXDOMAIN' : 'NODATA'})` };
}

function describe(answer: DnsAnswer): string {
  if (answer.status === 'servfail' || answer.status === 'timeout') {
    return answer.detail ? `${answer.status}: ${answer.detail}` : answer.status;
  }
  return answer.status;
}
