// @mail/proxy-protocol: the PROXY protocol of HAProxy (versions 1 and 2)
// without sockets — the header a load balancer sends before the proxied
// protocol to name the real client. An incremental parser that rejects
// garbage from the first byte, a v1/v2 writer (clients, health checks,
// tests), the registered v2 TLVs, and the list of trusted load balancers.
// Used by the SMTP listeners (apps/smtp-ingress) and, later, POP3.
//
// Typical flow on a connection from a trusted address:
//   parseProxyHeader(bytesSoFar) -> 'incomplete' (read more, with a deadline)
//   | 'complete' (header.source is the client; bytes after `length` are the protocol's)
//   | throws ProxyProtocolError (close the connection)

export type { ProxyEndpoint, ProxyHeader, ProxyParseResult, ProxyTlv } from './proxy-types';
export { ProxyProtocolError } from './proxy-types';
export { parseProxyHeader, looksLikeProxyHeader, MAX_PROXY_HEADER } from './proxy-header';
export { formatProxyV1, MAX_V1_HEADER } from './v1';
export { Pp2Type, V2_SIGNATURE } from './v2';
export { encodeProxyV2, type ProxyV2Options } from './v2-encoder';
export { proxyTlvValues, Pp2SubtypeSsl, type ProxySslInfo, type ProxyTlvValues } from './tlv-values';
export { crc32c } from './crc32c';
export { AddressList, AddressListError, unmapIPv4 } from './address-list';
