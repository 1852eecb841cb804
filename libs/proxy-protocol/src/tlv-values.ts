/**
 * The meaning of the registered v2 TLVs (HAProxy spec §2.2.1-2.2.7), for
 * logs and policy: ALPN, authority (SNI), unique id, and what the proxy
 * learnt when it terminated TLS itself (PP2_TYPE_SSL and its sub-TLVs).
 * Unknown types are ignored (spec §2.2: "the receiver MUST ignore" them).
 */
import type { ProxyTlv } from './proxy-types';
import { parseTlvs, Pp2Type } from './v2';

/** Spec §2.2.5: sub-types inside PP2_TYPE_SSL. */
export const Pp2SubtypeSsl = { VERSION: 0x21, CN: 0x22, CIPHER: 0x23, SIG_ALG: 0x24, KEY_ALG: 0x25 } as const;

/** What PP2_TYPE_SSL says about the client's TLS connection to the proxy. */
export interface ProxySslInfo {
  /** PP2_CLIENT_SSL: the client connected over TLS. */
  readonly tls: boolean;
  /** PP2_CLIENT_CERT_CONN / _SESS presented and `verify` = 0: a verified client certificate. */
  readonly verifiedCertificate: boolean;
  readonly version?: string;
  readonly cipher?: string;
  readonly commonName?: string;
}

/** The registered TLVs of a header, decoded. */
export interface ProxyTlvValues {
  /** Spec §2.2.1: the negotiated application protocol. */
  readonly alpn?: string;
  /** Spec §2.2.2: the host name the client asked for (TLS SNI). */
  readonly authority?: string;
  /** Spec §2.2.6: the proxy's opaque connection id (up to 128 octets). */
  readonly uniqueId?: Buffer;
  readonly ssl?: ProxySslInfo;
}

function sslInfo(value: Buffer): ProxySslInfo | undefined {
  // struct pp2_tlv_ssl { uint8_t client; uint32_t verify; struct pp2_tlv sub_tlv[0]; }
  if (value.length < 5) return undefined;
  const client = value[0] as number;
  const verify = value.readUInt32BE(1);
  let subs: ProxyTlv[] = [];
  try {
    subs = parseTlvs(value.subarray(5));
  } catch {
    subs = [];
  }
  const text = (type: number): string | undefined => subs.find((t) => t.type === type)?.value.toString('utf8');
  const version = text(Pp2SubtypeSsl.VERSION);
  const cipher = text(Pp2SubtypeSsl.CIPHER);
  const commonName = text(Pp2SubtypeSsl.CN);
  return {
    tls: (client & 0x01) !== 0,
    verifiedCertificate: (client & 0x06) !== 0 && verify === 0,
    ...(version !== undefined ? { version } : {}),
    ...(cipher !== undefined ? { cipher } : {}),
    ...(commonName !== undefined ? { commonName } : {}),
  };
}

/** Decodes the TLVs this library knows; the first of each type wins. */
export function proxyTlvValues(tlvs: readonly ProxyTlv[]): ProxyTlvValues {
  const first = (type: number): Buffer | undefined => tlvs.find((t) => t.type === type)?.value;
  const alpn = first(Pp2Type.ALPN)?.toString('latin1');
  const authority = first(Pp2Type.AUTHORITY)?.toString('utf8');
  const uniqueId = first(Pp2Type.UNIQUE_ID);
  const sslValue = first(Pp2Type.SSL);
  const ssl = sslValue === undefined ? undefined : sslInfo(sslValue);
  return {
    ...(alpn !== undefined ? { alpn } : {}),
    ...(authority !== undefined ? { authority } : {}),
    ...(uniqueId !== undefined ? { uniqueId } : {}),
    ...(ssl !== undefined ? { ssl } : {}),
  };
}
