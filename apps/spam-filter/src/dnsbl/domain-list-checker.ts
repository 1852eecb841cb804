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
import { directLookups, type ZoneLookups } from './zone-lookups';
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
  private readonly direct: ZoneLookups;

  constructor(
    query: ZoneQuery,
    health: ZoneHealth,
    readonly zones: readonly ZoneSpec[],
    private readonly maxDomains = DEFAULT_MAX_DOMAINS,
  ) {
    this.direct = directLookups(query, health);
  }

  /** The domains asked about, at most maxDomains. */
  private domains(candidates: readonly DomainCandidate[]): DomainCandidate[] {
    return distinctDomains(candidates).slice(0, this.maxDomains);
  }

  /** The DNS names check() asks about `candidates`, so a batch can read their cached answers ahead. */
  queryNames(candidates: readonly DomainCandidate[]): string[] {
    const domains = this.domains(candidates);
    return this.zones.flatMap((spec) => domains.map((candidate) => `${candidate.domain}.${spec.zone}`));
  }

  /** `lookups`: a batch's read-ahead lookups; one Redis command each by default. */
  async check(candidates: readonly DomainCandidate[], lookups: ZoneLookups = this.direct): Promise<DomainListOutcome> {
    const domains = this.domains(candidates);
    if (this.zones.length === 0 || domains.length === 0) return { hits: [], score: 0, failedZones: [] };
    const states = await lookups.states(this.zones.map((z) => z.zone));
    const perZone = await Promise.all(
      this.zones.map(async (spec): Promise<{ hit?: DomainListHit; failed: boolean }> => {
        if (states.get(spec.zone)?.healthy === false) return { failed: true };
        const results = await Promise.all(domains.map((candidate) => lookups.ask(spec, `${candidate.domain}.${spec.zone}`)));
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
