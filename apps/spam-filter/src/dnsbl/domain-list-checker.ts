/**
 * Domain lists (URIBL/DBL style, RFC 5782 §2.3): the registered domains of
 * the sender (envelope MAIL FROM, header From) and of the links in the body
 * are looked up as `<domain>.<zone>`, answers cached in Redis like DNSBL
 * answers. Each listed domain adds the zone's weight. At most
 * `maxDomains` distinct domains are asked per message, the sender's first
 * (SpamAssassin's uridnsbl_max_domains is 20), so a message stuffed with
 * links cannot make us flood the lists.
 */
import type { ZoneHealth } from './zone-health';
import type { ZoneQuery } from './zone-query';
import type { ZoneSpec } from './zone-spec';

export type DomainSource = 'envelope-from' | 'header-from' | 'link';

export interface DomainCandidate {
  readonly domain: string;
  readonly source: DomainSource;
}

/** The domains one zone lists, with the weight they add together. */
export interface DomainListHit {
  readonly zone: string;
  readonly score: number;
  readonly domains: readonly DomainCandidate[];
}

export interface DomainListOutcome {
  readonly hits: readonly DomainListHit[];
  readonly score: number;
  /** Zones that could not answer (timeouts, errors, out of use). */
  readonly failedZones: readonly string[];
}

export const DEFAULT_MAX_DOMAINS = 20;

export class DomainListChecker {
  constructor(
    private readonly query: ZoneQuery,
    private readonly health: ZoneHealth,
    readonly zones: readonly ZoneSpec[],
    private readonly maxDomains = DEFAULT_MAX_DOMAINS,
  ) {}

  async check(candidates: readonly DomainCandidate[]): Promise<DomainListOutcome> {
    const domains = distinctDomains(candidates).slice(0, this.maxDomains);
    if (this.zones.length === 0 || domains.length === 0) return { hits: [], score: 0, failedZones: [] };
    const states = await this.health.states(this.zones.map((z) => z.zone));
    const perZone = await Promise.all(
      this.zones.map(async (spec): Promise<{ hit?: DomainListHit; failed: boolean }> => {
        if (states.get(spec.zone)?.healthy === false) return { failed: true };
        const results = await Promise.all(domains.map((candidate) => this.query.ask(spec, `${candidate.domain}.${spec.zone}`)));
        const listed = domains.filter((_, i) => results[i]?.listed);
        const failed = results.some((result) => result.error !== undefined);
        return listed.length > 0 ? { hit: { zone: spec.zone, score: spec.weight * listed.length, domains: listed }, failed } : { failed };
      }),
    );
    const hits = perZone.flatMap((z) => (z.hit ? [z.hit] : []));
    const failedZones = this.zones.filter((_, i) => perZone[i]?.failed).map((z) => z.zone);
    return { hits, score: hits.reduce((sum, hit) => sum + hit.score, 0), failedZones };
  }
}

/** One candidate per domain, keeping the first source seen (sender sources come first). */
function distinctDomains(candidates: readonly DomainCandidate[]): DomainCandidate[] {
  const seen = new Map<string, DomainCandidate>();
  const ordered = [...candidates].sort((a, b) => Number(a.source === 'link') - Number(b.source === 'link'));
  for (const candidate of ordered) {
    const domain = candidate.domain.toLowerCase();
    if (!seen.has(domain)) seen.set(domain, { domain, source: candidate.source });
  }
  return [...seen.values()];
}
