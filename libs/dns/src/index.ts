/**
 * @mail/dns — DNS lookups for the spam filter and the outbound relay.
 *
 * `DnsResolver` is the small interface the services depend on; its answers
 * keep NXDOMAIN, NODATA, SERVFAIL and timeouts apart. `Dns2Resolver`
 * implements it over dns2's UDP client against DNS_SERVERS (or the system's
 * resolvers), and `CachingResolver` keeps answers for their TTLs in front of
 * any resolver. On top of them: `resolveMx` (RFC 5321 §5.1 with RFC 7505 null
 * MX) and `lookupDnsbl` (RFC 5782). Unit tests substitute `FakeResolver`
 * from `@mail/dns/testing`.
 */
export type { AaaaRecord, ARecord, CnameRecord, DnsAnswer, DnsRecord, DnsRecordOf, DnsRecordType, DnsResolver, MxRecord, PtrRecord, TxtRecord } from './resolver';
export { normalizeDomainName } from './domain-name';
export { DEFAULT_DNS_PORT, DnsServerListError, formatDnsServer, parseDnsServers, systemDnsServers, type DnsServerAddress } from './server-list';
export { DEFAULT_DNS_TIMEOUT_MS, Dns2Resolver, MAX_CNAME_DEPTH, type Dns2ResolverOptions } from './dns2-resolver';
export { CachingResolver, cacheSeconds, MAX_NEGATIVE_TTL_SECONDS, MAX_POSITIVE_TTL_SECONDS, type CacheOutcome, type CachingResolverOptions } from './caching-resolver';
export { resolveMx, type MxHost, type MxResult, type ResolveMxOptions } from './mx';
export { dnsblQueryName, lookupDnsbl, type DnsblResult } from './dnsbl';
