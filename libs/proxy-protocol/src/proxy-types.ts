/**
 * The vocabulary of the PROXY protocol (HAProxy, "The PROXY protocol",
 * versions 1 and 2): endpoints, TLVs, the parsed header, the result of an
 * incremental parse and the error that means "close the connection".
 */

/** One end of the proxied connection. */
export interface ProxyEndpoint {
  /** Textual IP address (IPv6 in RFC 5952 form as Node prints it). */
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
}

/** A Type-Length-Value field of a v2 header (spec §2.2). */
export interface ProxyTlv {
  readonly type: number;
  readonly value: Buffer;
}

/** A parsed header. */
export interface ProxyHeader {
  readonly version: 1 | 2;
  /**
   * `proxy`: the endpoints are the real client's (`source`) and the address
   * it connected to (`destination`). `local`: v2 LOCAL (health checks of the
   * proxy itself) — use the socket's own endpoints (spec §2.2).
   */
  readonly command: 'proxy' | 'local';
  /**
   * Absent for v1 UNKNOWN, v2 LOCAL, v2 AF_UNSPEC and AF_UNIX: the receiver
   * then uses the socket's endpoints (spec §2.1 and §2.2).
   */
  readonly source?: ProxyEndpoint;
  readonly destination?: ProxyEndpoint;
  /** v2 only: the TLVs after the addresses, in order (empty for v1). */
  readonly tlvs: readonly ProxyTlv[];
}

/** The result of feeding the bytes received so far. */
export type ProxyParseResult =
  /** More bytes are needed; nothing is wrong yet. */
  | { readonly status: 'incomplete' }
  /** A complete header of `length` octets; what follows belongs to the proxied protocol. */
  | { readonly status: 'complete'; readonly header: ProxyHeader; readonly length: number };

/** The input is not a valid PROXY header: the connection must be closed (spec §2: never guess). */
export class ProxyProtocolError extends Error {
  override name = 'ProxyProtocolError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
