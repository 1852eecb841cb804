/**
 * mailauth asks DNS through a function shaped like Node's
 * `dns.promises.resolve(name, rrtype)`; this one answers from our
 * DnsResolver (so SPF, DKIM and DMARC use DNS_SERVERS, and tests the dns2
 * fixture). Results take Node's forms (TXT as arrays of character-strings,
 * MX as { exchange, priority }) and failures Node's error codes, which
 * mailauth reads: ENOTFOUND (NXDOMAIN) and ENODATA (NODATA) make "none" or
 * void lookups (RFC 7208 §4.6.4); ESERVFAIL and ETIMEOUT make temperror.
 * Those failures are answers mailauth expects by the thousand (every sender
 * domain without SPF or DMARC), so they are built without a stack trace,
 * which nobody reads and which cost more than the rest of the lookup when
 * the answer comes from the cache.
 */
import type { DnsRecordType, DnsResolver } from '@mail/dns';

export type MailauthResolver = (name: string, rrtype: string) => Promise<unknown[]>;

const supported = new Set<string>(['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'PTR']);

/** An Error with the `code` Node's resolver would set. */
export class DnsLookupError extends Error {
  override name = 'DnsLookupError';
  constructor(
    readonly code: 'ENOTFOUND' | 'ENODATA' | 'ESERVFAIL' | 'ETIMEOUT' | 'ENOTIMP',
    readonly hostname: string,
    detail?: string,
  ) {
    super(`query ${hostname} failed: ${code}${detail ? ` (${detail})` : ''}`);
  }
}

/** A DnsLookupError without a stack trace (see above). */
function lookupError(code: DnsLookupError['code'], hostname: string, detail?: string): DnsLookupError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new DnsLookupError(code, hostname, detail);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function mailauthResolver(resolver: DnsResolver): MailauthResolver {
  return async (name, rrtype) => {
    const type = rrtype.toUpperCase();
    if (!supported.has(type)) throw lookupError('ENOTIMP', name, `type ${rrtype}`);
    const answer = await resolver.resolve(name, type as DnsRecordType);
    switch (answer.status) {
      case 'nxdomain':
        throw lookupError('ENOTFOUND', name);
      case 'nodata':
        throw lookupError('ENODATA', name);
      case 'servfail':
        throw lookupError('ESERVFAIL', name, answer.detail);
      case 'timeout':
        throw lookupError('ETIMEOUT', name, answer.detail);
      case 'ok':
        return answer.records.map((record) => {
          switch (record.type) {
            case 'A':
            case 'AAAA':
              return record.address;
            case 'MX':
              return { exchange: record.exchange, priority: record.preference };
            case 'TXT':
              return [...record.strings];
            case 'CNAME':
            case 'PTR':
              return record.target;
          }
        });
    }
  };
}
