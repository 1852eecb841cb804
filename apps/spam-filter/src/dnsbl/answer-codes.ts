/**
 * How the A records a DNS list answers with are read (RFC 5782 §2.1, §2.3).
 * Listing codes are loopback addresses, 127.0.0.2 and up. Anything else is
 * a list that is broken, wildcarding, or refusing us — never a listing:
 * - outside 127.0.0.0/8 (a parked or wildcarded zone answering every name);
 * - 127.0.0.1, which RFC 5782 §2.1 reserves (URIBL uses it for "blocked");
 * - Spamhaus's error codes 127.255.255.252 (typo in the zone name),
 *   .254 (query through a public resolver), .255 (too many queries), and
 *   DBL's 127.0.1.255 (IP address queried as a domain).
 */

/** Codes that say "this answer is an error", whatever list sends them. */
export const ERROR_CODES: ReadonlySet<string> = new Set(['127.0.0.1', '127.0.1.255', '127.255.255.252', '127.255.255.254', '127.255.255.255']);

export type CodeReading = 'listed' | 'error-code';

/** `error-code` when any code is an error (the zone cannot be trusted for this answer), else `listed`. */
export function readCodes(codes: readonly string[]): CodeReading {
  return codes.some((code) => ERROR_CODES.has(code) || !/^127\.\d+\.\d+\.\d+$/.test(code)) ? 'error-code' : 'listed';
}
