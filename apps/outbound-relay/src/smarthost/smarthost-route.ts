/**
 * Where mail goes when a smarthost is set: every recipient domain takes the
 * smarthost's route, looked up once per batch. `[host]` is resolved to its
 * addresses (A, then AAAA) without an MX lookup, a plain host as a mail
 * domain (RFC 5321 §5.1: its MX hosts, else its own addresses), as
 * Postfix's relayhost does. A smarthost that cannot be found is our
 * problem, never the recipients': always a temporary failure (RFC 3463
 * §3.5: 4.4.3 directory server failure), retried on the schedule.
 */
import { isIP } from 'node:net';
import { resolveMx, type DnsResolver, type MxHost } from '@mail/dns';
import type { DomainRoute } from '../delivery/destinations';
import type { Smarthost } from './relay-host';

/** The same route for every domain: the smarthost's hosts, or why they cannot be had now. */
export async function routeViaSmarthost(domains: readonly string[], smarthost: Smarthost, resolver: DnsResolver, random?: () => number): Promise<Map<string, DomainRoute>> {
  const route = await smarthostRoute(smarthost, resolver, random);
  return new Map([...new Set(domains)].map((domain) => [domain, route]));
}

export async function smarthostRoute(smarthost: Smarthost, resolver: DnsResolver, random?: () => number): Promise<DomainRoute> {
  const { host } = smarthost;
  if (isIP(host) !== 0) return { hosts: [{ name: host, preference: 0, addresses: [host] }] };
  if (smarthost.mxLookup) {
    const mx = await resolveMx(resolver, host, random ? { random } : {});
    if (mx.kind === 'hosts') return { hosts: mx.hosts };
    return unreachable(mx.kind === 'null-mx' ? `${host} has a null MX` : mx.reason);
  }
  const addresses = await hostAddresses(resolver, host);
  return 'reason' in addresses ? unreachable(addresses.reason) : { hosts: addresses.hosts };
}

function unreachable(reason: string): DomainRoute {
  return { status: 'temporary', detail: `relay host: ${reason}`, code: 451, enhanced: '4.4.3' };
}

/** The host's A then AAAA addresses (RFC 5321 §5.1 orders neither family first; the MX code tries A first too). */
async function hostAddresses(resolver: DnsResolver, host: string): Promise<{ hosts: MxHost[] } | { reason: string }> {
  const [a, aaaa] = await Promise.all([resolver.resolve(host, 'A'), resolver.resolve(host, 'AAAA')]);
  const addresses = [a, aaaa].flatMap((answer) => (answer.status === 'ok' ? answer.records.map((record) => record.address) : []));
  if (addresses.length > 0) return { hosts: [{ name: host, preference: 0, addresses }] };
  return { reason: `${host}: no address (A ${a.status}, AAAA ${aaaa.status})` };
}
