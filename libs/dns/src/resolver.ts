/**
 * The DNS lookup contract. One small interface, so the spam filter and the
 * outbound relay can be unit-tested against a fake, and answers typed so
 * that NXDOMAIN, NODATA, SERVFAIL and "nobody answered" never blur together:
 * each of them means something different to a mail server (bounce, fall back
 * to the implicit MX, retry later).
 */

/** Record types this library looks up. */
export type DnsRecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'PTR';

/** Fields every record carries: the owner name (lower case, no trailing dot) and its TTL in seconds. */
interface RecordBase {
  readonly name: string;
  readonly ttl: number;
}

/** RFC 1035 §3.4.1 */
export interface ARecord extends RecordBase {
  readonly type: 'A';
  readonly address: string;
}

/** RFC 3596 §2.2 */
export interface AaaaRecord extends RecordBase {
  readonly type: 'AAAA';
  readonly address: string;
}

/** RFC 1035 §3.3.9. `exchange` is "." for a null MX (RFC 7505). */
export interface MxRecord extends RecordBase {
  readonly type: 'MX';
  readonly preference: number;
  readonly exchange: string;
}

/**
 * RFC 1035 §3.3.14. `strings` keeps the character-string boundaries;
 * `text` is their concatenation without separators, which is how SPF
 * (RFC 7208 §3.3) and DKIM (RFC 6376 §3.6.2.2) read a record.
 */
export interface TxtRecord extends RecordBase {
  readonly type: 'TXT';
  readonly strings: readonly string[];
  readonly text: string;
}

/** RFC 1035 §3.3.1 */
export interface CnameRecord extends RecordBase {
  readonly type: 'CNAME';
  readonly target: string;
}

/** RFC 1035 §3.3.12 */
export interface PtrRecord extends RecordBase {
  readonly type: 'PTR';
  readonly target: string;
}

export type DnsRecord = ARecord | AaaaRecord | MxRecord | TxtRecord | CnameRecord | PtrRecord;

/** The record interface for one record type: `DnsRecordOf<'MX'>` is `MxRecord`. */
export type DnsRecordOf<T extends DnsRecordType> = Extract<DnsRecord, { type: T }>;

/**
 * The outcome of one lookup.
 * - `ok`: at least one record of the requested type (after following CNAMEs).
 * - `nxdomain`: the name does not exist (RCODE 3, RFC 1035 §4.1.1; RFC 8020:
 *   nothing exists below it either).
 * - `nodata`: the name exists but has no record of that type (RCODE 0, empty
 *   answer; RFC 2308 §2.2).
 * - `servfail`: a server answered but could not give an answer (RCODE 2, any
 *   other error RCODE, a CNAME loop, a malformed reply).
 * - `timeout`: no configured server replied in time (or at all).
 *
 * Negative answers carry `ttl` when the server sent an SOA in the authority
 * section (RFC 2308 §5); it is how long the negative answer may be cached.
 */
export type DnsAnswer<R extends DnsRecord = DnsRecord> =
  | { readonly status: 'ok'; readonly records: readonly R[] }
  | { readonly status: 'nxdomain'; readonly ttl?: number }
  | { readonly status: 'nodata'; readonly ttl?: number }
  | { readonly status: 'servfail'; readonly detail?: string }
  | { readonly status: 'timeout'; readonly detail?: string };

/** Looks up one name and type. Implementations never throw for DNS outcomes; they return them. */
export interface DnsResolver {
  resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<DnsRecordOf<T>>>;
}
