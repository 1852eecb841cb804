/**
 * Writes v2 headers (HAProxy spec §2.2): for clients that speak to a
 * PROXY-aware server, for health checks (LOCAL) and for tests.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { crc32c } from './crc32c';
import type { ProxyEndpoint, ProxyTlv } from './proxy-types';
import { Pp2Type, V2_SIGNATURE } from './v2';

/** What to put in a v2 header. */
export interface ProxyV2Options {
  /** Default `proxy`; `local` writes no addresses. */
  readonly command?: 'proxy' | 'local';
  readonly source?: ProxyEndpoint;
  readonly destination?: ProxyEndpoint;
  readonly tlvs?: readonly ProxyTlv[];
  /** Append a PP2_TYPE_CRC32C TLV with the checksum of the header (spec §2.2.5). */
  readonly crc32c?: boolean;
}

function ipBytes(endpoint: ProxyEndpoint): Buffer {
  if (endpoint.family === 'IPv4') {
    if (!isIPv4(endpoint.address)) throw new TypeError(`not an IPv4 address: ${endpoint.address}`);
    return Buffer.from(endpoint.address.split('.').map(Number));
  }
  if (!isIPv6(endpoint.address)) throw new TypeError(`not an IPv6 address: ${endpoint.address}`);
  // RFC 4291 §2.2: "::" stands for a run of zero groups; the last 32 bits may be
  // written as an IPv4 address ("::ffff:192.0.2.1", how Node names IPv4 clients
  // of a dual-stack socket). Found by proxy-header.fuzz.spec.ts: that form was encoded wrong.
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? dottedGroups(group) : [parseInt(group, 16)])));
  const [head = '', tail] = endpoint.address.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((group, i) => out.writeUInt16BE(group, i * 2));
  return out;
}

/** An IPv4 address as the two 16-bit groups of an IPv6 address. */
function dottedGroups(ipv4: string): number[] {
  const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
  return [a * 256 + b, c * 256 + d];
}

function tlvBytes(tlv: ProxyTlv): Buffer {
  const head = Buffer.alloc(3);
  head[0] = tlv.type;
  head.writeUInt16BE(tlv.value.length, 1);
  return Buffer.concat([head, tlv.value]);
}

/** The binary header. */
export function encodeProxyV2(options: ProxyV2Options): Buffer {
  const local = options.command === 'local';
  const { source, destination } = options;
  let fam = 0x00; // AF_UNSPEC, UNSPEC
  let addresses = Buffer.alloc(0);
  if (!local && source !== undefined && destination !== undefined) {
    const v4 = source.family === 'IPv4';
    fam = v4 ? 0x11 : 0x21; // INET|STREAM or INET6|STREAM
    const ports = Buffer.alloc(4);
    ports.writeUInt16BE(source.port, 0);
    ports.writeUInt16BE(destination.port, 2);
    addresses = Buffer.concat([ipBytes(source), ipBytes(destination), ports]);
  }
  const tlvs = (options.tlvs ?? []).map(tlvBytes);
  if (options.crc32c) tlvs.push(tlvBytes({ type: Pp2Type.CRC32C, value: Buffer.alloc(4) }));
  const body = Buffer.concat([addresses, ...tlvs]);
  const fixed = Buffer.alloc(4);
  fixed[0] = local ? 0x20 : 0x21;
  fixed[1] = fam;
  fixed.writeUInt16BE(body.length, 2);
  const header = Buffer.concat([V2_SIGNATURE, fixed, body]);
  if (options.crc32c) header.writeUInt32BE(crc32c(header), header.length - 4);
  return header;
}
