/**
 * An in-memory DnsResolver for unit tests of code that looks things up in
 * DNS: canned answers by name and type, and a log of every question asked.
 * Unknown names answer NXDOMAIN; a known name asked for a type it lacks
 * answers NODATA, as a real zone would.
 */
import { normalizeDomainName } from './domain-name';
import type { DnsAnswer, DnsRecordOf, DnsRecordType, DnsResolver } from './resolver';

/** A record as a test writes it: no owner or type (given by the call), TTL optional (300). */
export type FakeRecordData<T extends DnsRecordType> = T extends 'TXT'
  ? { readonly strings: readonly string[]; readonly ttl?: number }
  : Omit<DnsRecordOf<T>, 'name' | 'type' | 'ttl'> & { readonly ttl?: number };

const DEFAULT_TTL = 300;

/** A DnsResolver answering from a table the test fills in. */
export class FakeResolver implements DnsResolver {
  /** Every question asked, in order; names normalized. */
  readonly queries: { name: string; type: DnsRecordType }[] = [];
  private readonly byNameAndType = new Map<string, DnsAnswer>();
  private readonly byName = new Map<string, DnsAnswer>();
  private readonly known = new Set<string>();

  /** Answers `name`/`type` with these records. */
  records<T extends DnsRecordType>(name: string, type: T, ...records: FakeRecordData<T>[]): this {
    const owner = normalizeDomainName(name);
    const full = records.map((data) => {
      const { ttl = DEFAULT_TTL, ...rest } = data;
      const text = type === 'TXT' ? { text: (data as FakeRecordData<'TXT'>).strings.join('') } : {};
      return { ...rest, ...text, type, name: owner, ttl };
    });
    return this.answer(owner, type, { status: 'ok', records: full as unknown as DnsRecordOf<T>[] });
  }

  /** Answers `name`/`type` with exactly `answer` (e.g. `{ status: 'timeout' }`). */
  answer(name: string, type: DnsRecordType, answer: DnsAnswer): this {
    const owner = normalizeDomainName(name);
    this.known.add(owner);
    this.byNameAndType.set(`${owner} ${type}`, answer);
    return this;
  }

  /** Answers every type asked of `name` with `answer`, unless a type has its own. */
  answerAll(name: string, answer: DnsAnswer): this {
    this.byName.set(normalizeDomainName(name), answer);
    return this;
  }

  async resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<DnsRecordOf<T>>> {
    const owner = normalizeDomainName(name);
    this.queries.push({ name: owner, type });
    const answer = this.byNameAndType.get(`${owner} ${type}`) ?? this.byName.get(owner) ?? (this.known.has(owner) ? { status: 'nodata' } : { status: 'nxdomain' });
    return answer as DnsAnswer<DnsRecordOf<T>>;
  }
}
