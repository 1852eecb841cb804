/**
 * Version 2 of the PROXY protocol (HAProxy spec §2.2), the binary header:
 *
 *   signature (12) | ver_cmd (1) | fam (1) | len (2, network order)
 *   | addresses (by family: 12 INET, 36 INET6, 216 UNIX) | TLVs
 *
 * TLVs are type (1), length (2, network order), value; a PP2_TYPE_CRC32C
 * TLV, when present, is checked (spec §2.2.5: "the receiver MUST check").
 */
import { crc32c } from './crc32c';
import { ProxyProtocolError, type ProxyEndpoint, type ProxyHeader, type ProxyParseResult, type ProxyTlv } from './proxy-types';

/** Spec §2.2: "\r\n\r\n\0\r\nQUIT\n". */
export const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** Octets before the address block: signature, ver_cmd, fam, len. */
export const V2_FIXED_LENGTH = 16;

/** Spec §2.2.1-2.2.7: the registered TLV types. */
export const Pp2Type = {
  ALPN: 0x01,
  AUTHORITY: 0x02,
  CRC32C: 0x03,
  NOOP: 0x04,
  UNIQUE_ID: 0x05,
  SSL: 0x20,
  NETNS: 0x30,
} as const;

// Spec §2.2: address block sizes by family (high nibble of fam)
const AF_UNSPEC = 0x0;
const AF_INET = 0x1;
const AF_INET6 = 0x2;
const AF_UNIX = 0x3;
const ADDRESS_LENGTH: Record<number, number> = { [AF_UNSPEC]: 0, [AF_INET]: 12, [AF_INET6]: 36, [AF_UNIX]: 216 };

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // RFC 5952 §4.2: compress the longest run of zero groups (of two or more)
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

function endpoints(family: number, block: Buffer): { source: ProxyEndpoint; destination: ProxyEndpoint } | undefined {
  if (family === AF_INET) {
    const ip = (offset: number): string => [...block.subarray(offset, offset + 4)].join('.');
    return {
      source: { address: ip(0), port: block.readUInt16BE(8), family: 'IPv4' },
      destination: { address: ip(4), port: block.readUInt16BE(10), family: 'IPv4' },
    };
  }
  if (family === AF_INET6) {
    return {
      source: { address: ipv6(block.subarray(0, 16)), port: block.readUInt16BE(32), family: 'IPv6' },
      destination: { address: ipv6(block.subarray(16, 32)), port: block.readUInt16BE(34), family: 'IPv6' },
    };
  }
  // AF_UNSPEC and AF_UNIX carry no IP: the receiver uses the socket's endpoints
  return undefined;
}

/** Splits the TLV area; every TLV must fit exactly (spec §2.2). */
export function parseTlvs(area: Buffer): ProxyTlv[] {
  const tlvs: ProxyTlv[] = [];
  let offset = 0;
  while (offset < area.length) {
    if (offset + 3 > area.length) throw new ProxyProtocolError('PROXY v2: truncated TLV header');
    const type = area[offset] as number;
    const length = area.readUInt16BE(offset + 1);
    const end = offset + 3 + length;
    if (end > area.length) throw new ProxyProtocolError(`PROXY v2: TLV 0x${type.toString(16)} runs past the header`);
    tlvs.push({ type, value: Buffer.from(area.subarray(offset + 3, end)) });
    offset = end;
  }
  return tlvs;
}

/** Spec §2.2.5: the CRC-32C over the whole header with the checksum field zeroed must match. */
function checkCrc(header: Buffer, tlvStart: number): void {
  let offset = tlvStart;
  while (offset + 3 <= header.length) {
    const type = header[offset];
    const length = header.readUInt16BE(offset + 1);
    if (type === Pp2Type.CRC32C) {
      if (length !== 4) throw new ProxyProtocolError('PROXY v2: PP2_TYPE_CRC32C must be 4 octets');
      const copy = Buffer.from(header);
      const expected = copy.readUInt32BE(offset + 3);
      copy.fill(0, offset + 3, offset + 7);
      if (crc32c(copy) !== expected) throw new ProxyProtocolError('PROXY v2: CRC32C checksum mismatch');
    }
    offset += 3 + length;
  }
}

/** Parses a v2 header; `bytes` starts with (a prefix of) the signature. */
export function parseProxyV2(bytes: Buffer): ProxyParseResult {
  if (bytes.length < V2_FIXED_LENGTH) return { status: 'incomplete' };
  const verCmd = bytes[12] as number;
  // Spec §2.2: the version nibble is 0x2; commands are 0x0 LOCAL and 0x1 PROXY
  if (verCmd >> 4 !== 0x2) throw new ProxyProtocolError(`PROXY v2: unsupported version ${verCmd >> 4}`);
  const command = verCmd & 0x0f;
  if (command > 0x1) throw new ProxyProtocolError(`PROXY v2: unknown command ${command}`);
  const fam = bytes[13] as number;
  const family = fam >> 4;
  const transport = fam & 0x0f;
  const addressLength = ADDRESS_LENGTH[family];
  // Spec §2.2: other family or transport values must be rejected
  if (addressLength === undefined || transport > 0x2) throw new ProxyProtocolError(`PROXY v2: unknown address family or protocol 0x${fam.toString(16)}`);
  const length = bytes.readUInt16BE(14);
  if (bytes.length < V2_FIXED_LENGTH + length) return { status: 'incomplete' };
  const header = bytes.subarray(0, V2_FIXED_LENGTH + length);
  const local = command === 0x0;
  // Spec §2.2: with LOCAL the address block may be anything (usually empty); with PROXY it must fit
  if (!local && length < addressLength) throw new ProxyProtocolError('PROXY v2: address block shorter than its family requires');
  const tlvStart = V2_FIXED_LENGTH + (local ? Math.min(addressLength, length) : addressLength);
  const tlvs = local ? [] : parseTlvs(header.subarray(tlvStart));
  if (!local) checkCrc(header, tlvStart);
  // Spec §2.2: only STREAM (TCP) is proxied here; UNSPEC and DGRAM give no usable endpoints
  const ends = local || transport !== 0x1 ? undefined : endpoints(family, header.subarray(V2_FIXED_LENGTH, V2_FIXED_LENGTH + addressLength));
  const parsed: ProxyHeader = { version: 2, command: local ? 'local' : 'proxy', ...(ends ?? {}), tlvs };
  return { status: 'complete', header: parsed, length: header.length };
}
