/**
 * Reads one dns2 response packet as a DnsAnswer: classify the RCODE, follow
 * the CNAME chain inside the answer section, keep the records of the asked
 * type and derive the negative-caching TTL. Pure: no sockets, so the rules
 * are unit-tested with packets built in memory.
 */
import type { Packet } from 'dns2';
import { normalizeDomainName } from './domain-name';
import type { DnsAnswer, DnsRecord, DnsRecordOf, DnsRecordType } from './resolver';

type Resource = Packet['answers'][number];

/** RFC 1035 §3.2.2 TYPE values; AAAA from RFC 3596 §2.1. */
const TYPE_CODE = { A: 1, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28 } as const;

/** RFC 1035 §4.1.1 RCODE values. */
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

/**
 * Either a final answer, or "the chain ended at `target` and this server did
 * not follow it": ask again for the target. `hops` counts the CNAMEs
 * followed, `ttl` is the smallest of their TTLs.
 */
export type ResponseReading<R extends DnsRecord> =
  { readonly kind: 'answer'; readonly answer: DnsAnswer<R> } | { readonly kind: 'alias'; readonly target: string; readonly ttl: number; readonly hops: number };

/**
 * Interprets `response` to a query for `name`/`type`, following at most
 * `maxHops` CNAMEs. Returned records carry TTLs capped by the CNAMEs that led
 * to them, so a cached answer expires with the alias.
 */
export function readResponse<T extends DnsRecordType>(response: Packet, name: string, type: T, maxHops: number): ResponseReading<DnsRecordOf<T>> {
  const first = response.errors[0];
  if (first) return final({ status: 'servfail', detail: `malformed response: ${first.message}` });
  // RFC 1035 §4.2.1: a truncated reply is incomplete; treating it as NODATA would be wrong.
  if (response.header.tc) return final({ status: 'servfail', detail: 'truncated response (TC=1)' });
  const rcode = response.header.rcode;
  if (rcode === RCODE.NXDOMAIN) return final({ status: 'nxdomain', ...negativeTtl(response, Infinity) });
  if (rcode === RCODE.SERVFAIL) return final({ status: 'servfail', detail: 'server failure (RCODE 2)' });
  if (rcode !== RCODE.NOERROR) return final({ status: 'servfail', detail: `error response (RCODE ${rcode})` });

  const start = normalizeDomainName(name);
  const visited = new Set([start]);
  let current = start;
  let aliasTtl = Infinity;
  let hops = 0;
  for (;;) {
    const records = recordsAt(response.answers, current, type, aliasTtl);
    if (records.length > 0) return final({ status: 'ok', records: records as DnsRecordOf<T>[] });
    // A CNAME query is answered by the CNAME itself, never followed (RFC 1034 §3.6.2).
    const alias = type === 'CNAME' ? undefined : response.answers.find((r) => isAt(r, current, 'CNAME'));
    if (alias?.domain === undefined) break;
    // RFC 1034 §3.6.2: chains should be short; a bound also stops loops the visited set misses.
    if (hops >= maxHops) return final({ status: 'servfail', detail: `too many CNAMEs (chain goes on at ${current})` });
    current = normalizeDomainName(alias.domain);
    aliasTtl = Math.min(aliasTtl, alias.ttl);
    hops += 1;
    if (visited.has(current)) return final({ status: 'servfail', detail: `CNAME loop at ${current}` });
    visited.add(current);
  }
  // RFC 2308 §2.2: a NODATA reply carries the zone's SOA. A chain that stops
  // without one means the server did not chase the alias (another zone).
  if (current !== start && !findSoa(response)) return { kind: 'alias', target: current, ttl: aliasTtl, hops };
  return final({ status: 'nodata', ...negativeTtl(response, aliasTtl) });
}

function final<R extends DnsRecord>(answer: DnsAnswer<R>): ResponseReading<R> {
  return { kind: 'answer', answer };
}

function isAt(resource: Resource, owner: string, type: keyof typeof TYPE_CODE): boolean {
  return resource.type === TYPE_CODE[type] && normalizeDomainName(resource.name) === owner;
}

function recordsAt(answers: readonly Resource[], owner: string, type: DnsRecordType, ttlCap: number): DnsRecord[] {
  return answers.flatMap((resource) => {
    if (!isAt(resource, owner, type)) return [];
    const record = toRecord(resource, type, owner, Math.min(resource.ttl, ttlCap));
    return record ? [record] : [];
  });
}

/** Maps dns2's loosely typed resource to our record; undefined when a field is missing. */
function toRecord(r: Resource, type: DnsRecordType, name: string, ttl: number): DnsRecord | undefined {
  switch (type) {
    case 'A':
    case 'AAAA':
      return r.address === undefined ? undefined : { type, name, ttl, address: r.address };
    case 'MX':
      if (r.priority === undefined || r.exchange === undefined) return undefined;
      return { type, name, ttl, preference: r.priority, exchange: normalizeDomainName(r.exchange) };
    case 'TXT': {
      const data = r.data === undefined ? [] : Array.isArray(r.data) ? r.data : [r.data];
      const strings = data.map((part) => (typeof part === 'string' ? part : Buffer.from(part).toString('utf8')));
      return { type, name, ttl, strings, text: strings.join('') };
    }
    case 'CNAME':
    case 'PTR':
      return r.domain === undefined ? undefined : { type, name, ttl, target: normalizeDomainName(r.domain) };
  }
}

function findSoa(response: Packet): Resource | undefined {
  return response.authorities.find((r) => r.type === TYPE_CODE.SOA);
}

/** RFC 2308 §5: a negative answer is cached for min(SOA TTL, SOA MINIMUM). */
function negativeTtl(response: Packet, cap: number): { ttl?: number } {
  const soa = findSoa(response);
  if (soa?.minimum === undefined) return {};
  return { ttl: Math.min(soa.ttl, soa.minimum, cap) };
}
