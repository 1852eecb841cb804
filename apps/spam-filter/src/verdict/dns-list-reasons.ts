/**
 * Rules from DNS list answers, named in SpamAssassin's style after the
 * zone: `RCVD_IN_<ZONE>` for the client IP, `SENDER_IN_<ZONE>` for the
 * sender's domains and `URIBL_<ZONE>` for linked domains, each scored with
 * the zone's weight (once per listed domain).
 */
import type { VerdictReason } from '@mail/contracts';
import type { DnsblOutcome } from '../dnsbl/dnsbl-checker';
import type { DomainListOutcome } from '../dnsbl/domain-list-checker';

/** `bl.example.test` → `BL_EXAMPLE_TEST` (at most 80 characters: rule names stay short). */
export function zoneRuleSuffix(zone: string): string {
  return zone
    .replace(/[^a-z0-9]+/gi, '_')
    .replace(/^_|_$/g, '')
    .toUpperCase()
    .slice(0, 80);
}

export function dnsblReasons(ip: string, outcome: DnsblOutcome, unchecked: number): VerdictReason[] {
  const reasons: VerdictReason[] = outcome.results
    .filter((result) => result.listed)
    .map((result) => ({ rule: `RCVD_IN_${zoneRuleSuffix(result.zone)}`, score: result.weight, detail: `${ip} listed in ${result.zone} (${result.codes.join(',')})` }));
  if (outcome.unchecked && outcome.results.length > 0) {
    reasons.push({ rule: 'DNSBL_UNCHECKED', score: unchecked, detail: `no DNSBL zone answered (${outcome.results.map((r) => `${r.zone}: ${r.error}`).join('; ')})`.slice(0, 500) });
  }
  return reasons;
}

export function domainListReasons(outcome: DomainListOutcome): VerdictReason[] {
  return outcome.hits.flatMap((hit) => {
    const sender = hit.domains.filter((d) => d.source !== 'link');
    const links = hit.domains.filter((d) => d.source === 'link');
    const weight = hit.score / hit.domains.length;
    const suffix = zoneRuleSuffix(hit.zone);
    const reasons: VerdictReason[] = [];
    if (sender.length > 0) {
      const detail = `sender domain ${sender.map((d) => `${d.domain} (${d.source})`).join(', ')} listed in ${hit.zone}`;
      reasons.push({ rule: `SENDER_IN_${suffix}`, score: weight * sender.length, detail: detail.slice(0, 500) });
    }
    if (links.length > 0) {
      reasons.push({ rule: `URIBL_${suffix}`, score: weight * links.length, detail: `linked ${links.map((d) => d.domain).join(', ')} listed in ${hit.zone}`.slice(0, 500) });
    }
    return reasons;
  });
}
