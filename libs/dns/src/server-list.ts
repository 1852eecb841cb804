/**
 * Which DNS servers to ask: parse a `DNS_SERVERS`-style list
 * ("127.0.0.1:5353,[::1]:53,10.0.0.2"), or fall back to the system's
 * resolvers as Node sees them (`node:dns` getServers, from /etc/resolv.conf).
 */
import { getServers } from 'node:dns';
import { isIP } from 'node:net';

/** One DNS server: an IP literal and a UDP port. */
export interface DnsServerAddress {
  readonly host: string;
  readonly port: number;
}

/** RFC 1035 §4.2.1: DNS listens on port 53. */
export const DEFAULT_DNS_PORT = 53;

const EXPECTED = 'a comma-separated list of ip[:port] (IPv6 as [addr]:port), e.g. "127.0.0.1:5353,[::1]:53"';

/** A DNS server list is malformed; the message names the variable, the expected form and the bad item. */
export class DnsServerListError extends Error {
  override name = 'DnsServerListError';
  constructor(
    readonly variable: string,
    readonly item: string,
  ) {
    super(`${variable} must be ${EXPECTED}, got ${JSON.stringify(item)}`);
  }
}

/**
 * Parses a comma-separated server list. Empty items are dropped, so "" gives
 * [] (meaning "use the system's resolvers"). Hosts must be IP literals: a name
 * would need DNS to find the DNS server.
 * @param variable named in errors, e.g. "DNS_SERVERS".
 * @throws DnsServerListError on a malformed item.
 */
export function parseDnsServers(value: string, variable = 'DNS_SERVERS'): DnsServerAddress[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const server = parseServer(item);
      if (!server) throw new DnsServerListError(variable, item);
      return server;
    });
}

/** The system's resolvers, as `node:dns` reports them (it may include ports and bare IPv6). */
export function systemDnsServers(): DnsServerAddress[] {
  return parseDnsServers(getServers().join(','), 'the system resolver list');
}

/** "host:port" with IPv6 in brackets, the form DNS_SERVERS uses. */
export function formatDnsServer(server: DnsServerAddress): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

function parseServer(item: string): DnsServerAddress | undefined {
  // A bare IPv6 literal: its colons are not a port separator.
  if (isIP(item) === 6) return { host: item, port: DEFAULT_DNS_PORT };
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(item);
  if (!match) return undefined;
  const bracketed = match[1];
  const host = bracketed ?? match[2] ?? '';
  if (isIP(host) !== (bracketed === undefined ? 4 : 6)) return undefined;
  const port = match[3] === undefined ? DEFAULT_DNS_PORT : Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host, port };
}
