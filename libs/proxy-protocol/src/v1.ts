/**
 * Version 1 of the PROXY protocol (HAProxy spec §2.1), the human-readable
 * line:
 *
 *   "PROXY" SP ( "TCP4" / "TCP6" ) SP src SP dst SP srcport SP dstport CRLF
 *   "PROXY" SP "UNKNOWN" [ anything ] CRLF
 *
 * at most 107 octets including the CRLF.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { ProxyProtocolError, type ProxyEndpoint, type ProxyParseResult } from './proxy-types';

/** "PROXY " — the start of every v1 header. */
export const V1_PREFIX = Buffer.from('PROXY ', 'latin1');

/** Spec §2.1: the worst case "PROXY UNKNOWN ffff:…:ffff ffff:…:ffff 65535 65535\r\n" is 107 octets. */
export const MAX_V1_HEADER = 107;

function port(text: string): number {
  // Spec §2.1: a port is a decimal number in 0..65535 ("without leading zeroes" per the grammar's intent)
  if (!/^(?:0|[1-9]\d{0,4})$/.test(text) || Number(text) > 0xffff) throw new ProxyProtocolError(`PROXY v1: invalid port ${JSON.stringify(text)}`);
  return Number(text);
}

function endpoint(protocol: 'TCP4' | 'TCP6', address: string, portText: string): ProxyEndpoint {
  // Spec §2.1: TCP4 carries dotted-quad IPv4 addresses, TCP6 IPv6 addresses
  const valid = protocol === 'TCP4' ? isIPv4(address) : isIPv6(address);
  if (!valid) throw new ProxyProtocolError(`PROXY v1: ${JSON.stringify(address)} is not an ${protocol === 'TCP4' ? 'IPv4' : 'IPv6'} address`);
  return { address, port: port(portText), family: protocol === 'TCP4' ? 'IPv4' : 'IPv6' };
}

/** Parses a v1 header; `bytes` starts with (a prefix of) "PROXY ". */
export function parseProxyV1(bytes: Buffer): ProxyParseResult {
  const lf = bytes.indexOf(0x0a);
  if (lf < 0) {
    // Spec §2.1: a receiver may reject a line that did not end within 107 octets
    if (bytes.length >= MAX_V1_HEADER) throw new ProxyProtocolError('PROXY v1: no CRLF within 107 octets');
    return { status: 'incomplete' };
  }
  const length = lf + 1;
  if (length > MAX_V1_HEADER) throw new ProxyProtocolError('PROXY v1: header longer than 107 octets');
  if (lf === 0 || bytes[lf - 1] !== 0x0d) throw new ProxyProtocolError('PROXY v1: the line must end with CRLF');
  const line = bytes.toString('latin1', 0, lf - 1);
  const fields = line.split(' ');
  const protocol = fields[1];
  // Spec §2.1: with UNKNOWN the rest of the line is ignored and the real endpoints are used
  if (protocol === 'UNKNOWN') return { status: 'complete', header: { version: 1, command: 'proxy', tlvs: [] }, length };
  if (protocol !== 'TCP4' && protocol !== 'TCP6') throw new ProxyProtocolError(`PROXY v1: unknown protocol ${JSON.stringify(protocol ?? '')}`);
  // Spec §2.1: exactly one space between fields, five fields after "PROXY"
  if (fields.length !== 6) throw new ProxyProtocolError('PROXY v1: expected "PROXY TCP4|TCP6 src dst srcport dstport"');
  const [, , src = '', dst = '', srcPort = '', dstPort = ''] = fields;
  const header = { version: 1 as const, command: 'proxy' as const, source: endpoint(protocol, src, srcPort), destination: endpoint(protocol, dst, dstPort), tlvs: [] };
  return { status: 'complete', header, length };
}

/** Formats a v1 header line (for clients, tests and health checks). */
export function formatProxyV1(source?: ProxyEndpoint, destination?: ProxyEndpoint): string {
  if (source === undefined || destination === undefined) return 'PROXY UNKNOWN\r\n';
  const protocol = source.family === 'IPv4' ? 'TCP4' : 'TCP6';
  return `PROXY ${protocol} ${source.address} ${destination.address} ${source.port} ${destination.port}\r\n`;
}
