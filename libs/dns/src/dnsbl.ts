/**
 * DNS blocklist lookups (RFC 5782): build the query name for an IP in a
 * list's zone and read the A records back as listing codes.
 */
import { isIP } from 'node:net';
import { normalizeDomainName } from './domain-name';
import type { DnsResolver } from './resolver';

/** `listed` with the codes returned (e.g. "127.0.0.2") and how long the verdict may be cached. */
export type DnsblResult = { readonly listed: boolean; readonly codes: readonly string[]; readonly ttl?: number } | { readonly error: 'timeout' | 'servfail' };

/**
 * The name to query for `ip` in the list `zone`.
 * RFC 5782 §2.1: IPv4 octets reversed ("2.0.0.127.zen.example");
 * §2.4: IPv6 as 32 reversed nibbles. An IPv4-mapped address stays IPv6
 * (RFC 5782 §5 tests IPv6 lists with ::ffff:127.0.0.2); a caller holding a
 * dual-stack peer address such as "::ffff:192.0.2.1" should unwrap it before
 * asking an IPv4 list.
 * @throws TypeError when `ip` is not an IP address or `zone` is empty.
 */
export function dnsblQueryName(ip: string, zone: string): string {
  const list = normalizeDomainName(zone);
  if (list === '.') throw new TypeError(`DNSBL zone must be a domain name, got ${JSON.stringify(zone)}`);
  const family = isIP(ip);
  if (family === 4) return `${reversedIpv4(ip)}.${list}`;
  if (family === 6) {
    const nibbles = ipv6Groups(ip)
      .map((g) => g.toString(16).padStart(4, '0'))
      .join('');
    return `${[...nibbles].reverse().join('.')}.${list}`;
  }
  throw new TypeError(`not an IP address: ${JSON.stringify(ip)}`);
}

/**
 * Looks `ip` up in the list `zone`. NXDOMAIN (and NODATA) mean not listed;
 * SERVFAIL and timeouts are reported, never read as "not listed".
 * Rejects with TypeError when dnsblQueryName would throw.
 */
export async function lookupDnsbl(resolver: DnsResolver, ip: string, zone: string): Promise<DnsblResult> {
  const answer = await resolver.resolve(dnsblQueryName(ip, zone), 'A');
  switch (answer.status) {
    case 'ok': {
      const codes = answer.records.map((r) => r.address);
      // RFC 5782 §2.1: codes are loopback addresses by convention (127.0.0.2
      // and up); any other address is a broken or wildcarding list, not a listing.
      const listed = codes.some((code) => code.startsWith('127.'));
      return { listed, codes, ttl: Math.min(...answer.records.map((r) => r.ttl)) };
    }
    case 'nxdomain':
    case 'nodata':
      return answer.ttl === undefined ? { listed: false, codes: [] } : { listed: false, codes: [], ttl: answer.ttl };
    case 'servfail':
    case 'timeout':
      return { error: answer.status };
  }
}

function reversedIpv4(ip: string): string {
  return ip.split('.').reverse().join('.');
}

/** The eight 16-bit groups of a valid IPv6 literal (RFC 4291 §2.2), zone index dropped. */
function ipv6Groups(ip: string): number[] {
  let text = ip.replace(/%.*$/, '').toLowerCase();
  // RFC 4291 §2.2 form 3: trailing dotted quad stands for the last two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const [head, tail] = text.split('::');
  const before = parse(head);
  const after = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - before.length - after.length).fill(0);
  return [...before, ...zeros, ...after];
}
