/**
 * Who the client really is behind a load balancer: a connection from an
 * address in the listener's trusted list must start with a PROXY v1 or v2
 * header (HAProxy spec), read before the greeting within a deadline; its
 * source address is the client's for logs, limits, screening and the
 * event. The header is never guessed at: a trusted peer that sends
 * something else, or nothing in time, is closed (spec §2: "the receiver
 * MUST NOT try to guess"). Connections from other addresses are taken as
 * they are; a PROXY header from them is refused (see connection-opening.ts).
 */
import { parseProxyHeader, ProxyProtocolError, proxyTlvValues, unmapIPv4, type AddressList, type ProxyHeader } from '@mail/proxy-protocol';
import type { PreambleOutcome } from '../session/transport';

/** The end that connected to us, or the real client behind it. */
export interface ClientEndpoint {
  readonly ip: string;
  readonly port: number | undefined;
}

/** The outcome of the handshake. */
export type ClientIdentity =
  | { readonly ok: true; readonly client: ClientEndpoint; readonly header?: ProxyHeader }
  | { readonly ok: false; readonly reason: 'proxy-invalid' | 'proxy-timeout' | 'closed'; readonly detail: string };

/** The part of the transport the handshake reads with. */
export interface PreambleReader {
  readPreamble(parse: (input: Buffer) => number | undefined, timeoutMs: number): Promise<PreambleOutcome>;
}

/** Reads the PROXY header when `peer` is trusted; otherwise the peer is the client. */
export async function identifyClient(reader: PreambleReader, peer: ClientEndpoint, trusted: AddressList, timeoutMs: number): Promise<ClientIdentity> {
  if (!trusted.includes(peer.ip)) return { ok: true, client: peer };
  let header: ProxyHeader | undefined;
  let outcome: PreambleOutcome;
  try {
    outcome = await reader.readPreamble((input) => {
      const result = parseProxyHeader(input);
      if (result.status === 'incomplete') return undefined;
      header = result.header;
      return result.length;
    }, timeoutMs);
  } catch (error) {
    if (error instanceof ProxyProtocolError) return { ok: false, reason: 'proxy-invalid', detail: error.message };
    throw error;
  }
  if (outcome === 'timeout') return { ok: false, reason: 'proxy-timeout', detail: `no PROXY header within ${timeoutMs} ms` };
  if (outcome === 'closed' || header === undefined) return { ok: false, reason: 'closed', detail: 'closed before its PROXY header' };
  // Spec §2.1/§2.2: UNKNOWN, LOCAL and non-IP families name no client: use the connection's own endpoints
  const source = header.source;
  const client = source === undefined ? peer : { ip: unmapIPv4(source.address), port: source.port };
  return { ok: true, client, header };
}

/** What the header says beyond the address, for the session log. */
export function describeProxyHeader(header: ProxyHeader): Record<string, unknown> {
  const tlvs = proxyTlvValues(header.tlvs);
  return {
    proxyVersion: header.version,
    proxyCommand: header.command,
    ...(tlvs.authority !== undefined ? { proxyAuthority: tlvs.authority } : {}),
    ...(tlvs.ssl !== undefined ? { proxyTls: tlvs.ssl.tls, proxyTlsVersion: tlvs.ssl.version } : {}),
  };
}
