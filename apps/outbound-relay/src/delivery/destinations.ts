/**
 * Where each domain's mail goes (RFC 5321 §5.1): its MX hosts in preference
 * order (random among equals, done by @mail/dns), the implicit MX when it
 * has none, an address literal's own address (RFC 5321 §4.1.3), or a verdict
 * for its recipients: null MX (RFC 7505) and NXDOMAIN are permanent, DNS
 * trouble (SERVFAIL, timeout) is temporary.
 *
 * Domains served by the very same MX hosts share one destination, so their
 * recipients travel in one transaction: one copy of the message per host.
 */
import { resolveMx, type DnsResolver, type MxHost } from '@mail/dns';
import { parseAddressLiteral } from '@mail/smtp';
import type { RecipientOutcome } from './recipient-outcome';
import { routeViaSmarthost } from '../smarthost/smarthost-route';
import type { Smarthost } from '../smarthost/relay-host';
import type { DomainGroup } from './recipient-groups';

/** Recipients that go to the same hosts, and those hosts in the order to try. */
export interface Destination {
  readonly domains: readonly string[];
  readonly recipients: readonly string[];
  readonly hosts: readonly MxHost[];
}

export interface Routing {
  readonly destinations: Destination[];
  /** Recipients no host can be tried for this time (null MX, NXDOMAIN, DNS failure). */
  readonly failures: RecipientOutcome[];
}

/** Hosts to try, or the reply we give ourselves for the domain's recipients. */
export type DomainRoute = { readonly hosts: readonly MxHost[] } | { readonly status: 'permanent' | 'temporary'; readonly detail: string; readonly code: number; readonly enhanced: string };

/** Looks up every domain (in parallel) and merges domains with identical MX host sets. */
export async function routeRecipients(groups: readonly DomainGroup[], resolver: DnsResolver, random?: () => number, smarthost?: Smarthost): Promise<Routing> {
  return destinationsOf(
    groups,
    await routeDomains(
      groups.map((group) => group.domain),
      resolver,
      random,
      smarthost,
    ),
  );
}

/**
 * Each domain's route, every domain looked up once (in parallel): a batch of
 * messages asks once per domain. With a smarthost, every domain goes there
 * (one lookup of the smarthost), so all recipients of a message share one destination.
 */
export async function routeDomains(domains: readonly string[], resolver: DnsResolver, random?: () => number, smarthost?: Smarthost): Promise<Map<string, DomainRoute>> {
  if (smarthost) return routeViaSmarthost(domains, smarthost, resolver, random);
  const unique = [...new Set(domains)];
  const routes = await Promise.all(unique.map((domain) => routeDomain(domain, resolver, random)));
  return new Map(unique.map((domain, i) => [domain, routes[i] as DomainRoute]));
}

/** One message's destinations from routes looked up already: domains with identical MX host sets merged. */
export function destinationsOf(groups: readonly DomainGroup[], routes: ReadonlyMap<string, DomainRoute>): Routing {
  const byHosts = new Map<string, { domains: string[]; recipients: string[]; hosts: readonly MxHost[] }>();
  const failures: RecipientOutcome[] = [];
  for (const group of groups) {
    const route = routes.get(group.domain) ?? { status: 'temporary', detail: `${group.domain}: not looked up`, code: 451, enhanced: '4.4.3' };
    if ('status' in route) {
      const reply = { code: route.code, enhanced: route.enhanced, lines: [route.detail] };
      for (const recipient of group.recipients) failures.push({ recipient, status: route.status, detail: route.detail, reply });
      continue;
    }
    const key = hostSetKey(route.hosts);
    const merged = byHosts.get(key) ?? { domains: [], recipients: [], hosts: route.hosts };
    merged.domains.push(group.domain);
    merged.recipients.push(...group.recipients);
    byHosts.set(key, merged);
  }
  return { destinations: [...byHosts.values()], failures };
}

async function routeDomain(domain: string, resolver: DnsResolver, random?: () => number): Promise<DomainRoute> {
  if (domain.startsWith('[')) {
    // RFC 5321 §4.1.3 / §5.1: an address literal names the host directly, no MX lookup
    const literal = parseAddressLiteral(domain);
    if (!literal) return { status: 'permanent', detail: `${domain}: malformed address literal`, code: 550, enhanced: '5.1.2' };
    return { hosts: [{ name: domain, preference: 0, addresses: [literal.ip] }] };
  }
  const mx = await resolveMx(resolver, domain, random ? { random } : {});
  switch (mx.kind) {
    case 'hosts':
      return { hosts: mx.hosts };
    case 'null-mx':
      // RFC 7505 §4.2: 556 5.1.10 "Recipient address has null MX"
      return { status: 'permanent', detail: `${domain}: domain does not accept mail (null MX)`, code: 556, enhanced: '5.1.10' };
    case 'permanent':
      // RFC 3463 §3.2: X.1.2 bad destination system address
      return { status: 'permanent', detail: mx.reason, code: 550, enhanced: '5.1.2' };
    case 'temporary':
      // RFC 3463 §3.5: X.4.3 directory server failure
      return { status: 'temporary', detail: mx.reason, code: 451, enhanced: '4.4.3' };
  }
}

/** Hosts and preferences, order-free (equal preferences are shuffled per lookup). */
export function hostSetKey(hosts: readonly MxHost[]): string {
  return hosts
    .map((h) => `${h.preference} ${h.name}`)
    .sort()
    .join(',');
}
