/**
 * Whether a client address is on the loopback interface (RFC 1122 §3.2.1.3:
 * 127.0.0.0/8; RFC 4291 §2.5.3: ::1; and 127/8 mapped into IPv6), where
 * IMAP_ALLOW_PLAINTEXT_AUTH lets passwords through without TLS.
 */
export function isLoopback(ip: string): boolean {
  return ip === '::1' || /^(::ffff:)?127\./i.test(ip);
}
