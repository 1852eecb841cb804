// APOP authentication (RFC 1939 §7): the banner timestamp and the MD5 digest
// of timestamp + shared secret.
//
// MD5 is what the RFC mandates; it is broken as a hash, and APOP also needs
// the plaintext secret on the server. Offer it only where clients need it,
// and prefer SASL over TLS.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

let timestampCounter = 0;

/**
 * The APOP digest: lower-case hex MD5 of `timestamp` (angle brackets
 * included) followed by `secret`, both as UTF-8.
 *
 * RFC 1939 §7: "the MD5 algorithm [is applied] to a string consisting of the
 * timestamp (including angle-brackets) followed by a shared secret", and the
 * 16-octet result is sent as lower-case hexadecimal.
 */
export function apopDigest(timestamp: string, secret: string): string {
  return createHash('md5')
    .update(timestamp + secret, 'utf8')
    .digest('hex');
}

/**
 * Checks a client's APOP digest against the expected one in constant time.
 * Upper-case hex is accepted; a digest of the wrong length or alphabet is
 * simply false.
 */
export function verifyApopDigest(timestamp: string, secret: string, digest: string): boolean {
  const expected = Buffer.from(apopDigest(timestamp, secret), 'latin1');
  const given = Buffer.from(digest.toLowerCase(), 'latin1');
  // The length of an MD5 hex digest is public, so this early exit leaks nothing.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

/**
 * A fresh banner timestamp `<pid.clock.counter.random@hostname>` for the
 * greeting of a server that offers APOP.
 *
 * RFC 1939 §7: the timestamp has the syntax of an RFC 822 msg-id and MUST be
 * different each time the server issues a banner greeting. The counter makes
 * it unique within the process; the random part keeps it unpredictable, so a
 * recorded digest cannot be replayed against a future banner.
 *
 * @param hostname The server's name, placed after "@".
 * @param now Clock in milliseconds, injectable for tests.
 * @throws RangeError if hostname is empty or contains characters that would
 *   break the msg-id syntax (space, control characters, "<", ">", "@").
 */
export function makeApopTimestamp(hostname: string, now: () => number = Date.now): string {
  // RFC 822 §6.1: the domain of a msg-id has no spaces, brackets or "@".
  if (!HOSTNAME.test(hostname)) throw new RangeError('hostname is not usable in an APOP timestamp');
  timestampCounter = (timestampCounter + 1) % Number.MAX_SAFE_INTEGER;
  const random = randomBytes(6).toString('hex');
  return `<${process.pid}.${Math.trunc(now())}.${timestampCounter}.${random}@${hostname}>`;
}

const HOSTNAME = /^[\x21-\x3b\x3d\x3f\x41-\x7e]+$/; // printable ASCII except "<", ">", "@"
