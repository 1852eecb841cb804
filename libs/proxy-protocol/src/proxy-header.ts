/**
 * The PROXY protocol header (HAProxy, "The PROXY protocol", versions 1 and
 * 2): what a load balancer says about the connection it forwards before any
 * byte of the proxied protocol. This file dispatches between the two
 * versions and spots a header sent by a peer not trusted to send one.
 */
import { ProxyProtocolError, type ProxyParseResult } from './proxy-types';
import { parseProxyV1, V1_PREFIX } from './v1';
import { parseProxyV2, V2_SIGNATURE } from './v2';

/** The longest header: v2 with the largest length field (16 + 65535 octets). */
export const MAX_PROXY_HEADER = 16 + 0xffff;

/** True while `input` can still become the start of `expected`. */
function couldBe(input: Uint8Array, expected: Uint8Array): boolean {
  const n = Math.min(input.length, expected.length);
  for (let i = 0; i < n; i++) if (input[i] !== expected[i]) return false;
  return true;
}

/**
 * Parses a header from the start of `input` (the first bytes of the
 * connection). Garbage is detected as early as the first byte, so a peer
 * that sends none is refused without waiting.
 *
 * @throws ProxyProtocolError when the bytes are not a valid v1 or v2 header.
 */
export function parseProxyHeader(input: Uint8Array): ProxyParseResult {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length === 0) return { status: 'incomplete' };
  // Spec §2.1 / §2.2: v1 starts with "PROXY ", v2 with its 12-octet signature
  if (couldBe(bytes, V1_PREFIX)) return parseProxyV1(bytes);
  if (couldBe(bytes, V2_SIGNATURE)) return parseProxyV2(bytes);
  throw new ProxyProtocolError('no PROXY protocol header at the start of the connection');
}

/**
 * True when `head` (the first bytes a peer sent) starts with a complete v1
 * prefix ("PROXY ") or the v2 signature: a header from a peer that is not
 * in the trusted list, which must not be believed (spec §5: "the receiver
 * MUST be configured to only receive the protocol from trusted sources").
 */
export function looksLikeProxyHeader(head: Uint8Array): boolean {
  return (head.length >= V1_PREFIX.length && couldBe(head, V1_PREFIX)) || (head.length >= V2_SIGNATURE.length && couldBe(head, V2_SIGNATURE));
}
