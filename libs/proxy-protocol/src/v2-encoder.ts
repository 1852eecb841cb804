/**
 * Writes v2 headers (HAProxy spec §2.2): for clients that speak to a
 * PROXY-aware server, for health checks (LOCAL) and for tests.
 */
import { isIPv4 } from 'node:net';
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
  const [head = '', tail] = endpoint.address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
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
