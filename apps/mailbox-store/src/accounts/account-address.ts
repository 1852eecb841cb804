/**
 * Account addresses: what mailbox-store accepts as a user's address and how
 * it compares them. Both parts are compared case-insensitively — the domain
 * because DNS is (RFC 4343), the local part by this system's choice for
 * simplicity (RFC 5321 §2.4 lets the receiving host decide) — so addresses
 * are stored and looked up lower-cased.
 */
import { DomainName } from '@mail/contracts';

export interface AccountAddress {
  /** `local@domain`, lower-cased. */
  readonly address: string;
  readonly localPart: string;
  readonly domain: string;
}

/**
 * RFC 5321 §4.1.2 Dot-string: atoms of atext joined by single dots, with
 * UTF-8 allowed in atext (RFC 6531 §3.3). Quoted local parts are refused.
 */
const dotString = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+)*$/u;

/** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
const maxLocalPartOctets = 64;

/** A domain name as stored: lower-case DNS name (A-labels for IDN), or undefined if invalid. */
export function normalizeDomain(input: string): string | undefined {
  return DomainName.safeParse(input).success ? input.toLowerCase() : undefined;
}

/** Parse and normalize `local@domain`; undefined when it is not a valid account address. */
export function parseAccountAddress(input: string): AccountAddress | undefined {
  const at = input.lastIndexOf('@');
  if (at <= 0) return undefined;
  const localPart = input.slice(0, at).toLowerCase();
  const domain = normalizeDomain(input.slice(at + 1));
  if (domain === undefined || !dotString.test(localPart)) return undefined;
  if (Buffer.byteLength(localPart, 'utf8') > maxLocalPartOctets) return undefined;
  return { address: `${localPart}@${domain}`, localPart, domain };
}
