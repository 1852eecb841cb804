// Syntax of the domain part of an SMTP address: host names (RFC 5321 §4.1.2,
// U-labels with SMTPUTF8 per RFC 6531 §3.3) and address literals
// (RFC 5321 §4.1.3). Pure string checks, no DNS.

/** What is wrong with a domain: plain syntax, or UTF-8 used without SMTPUTF8. */
export interface DomainProblem {
  kind: 'syntax' | 'non-ascii';
  reason: string;
}

/** A parsed address literal such as `[192.0.2.1]` or `[IPv6:2001:db8::1]`. */
export interface AddressLiteral {
  kind: 'ipv4' | 'ipv6';
  /** The IP address without brackets or the "IPv6:" tag. */
  ip: string;
}

/** RFC 5321 §4.5.3.1.2: a domain is at most 255 octets. */
export const MAX_DOMAIN_OCTETS = 255;
// RFC 1035 §2.3.4: a label is at most 63 octets.
const MAX_LABEL_OCTETS = 63;

function isLetDig(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Check a host-name domain (not an address literal). Returns the problem, or
 * undefined when valid. With `utf8`, labels may hold non-ASCII (RFC 6531 §3.3).
 */
export function domainProblem(domain: string, utf8: boolean): DomainProblem | undefined {
  const syntax = (reason: string): DomainProblem => ({ kind: 'syntax', reason });
  if (domain === '') return syntax('empty domain');
  if (domain.endsWith('.')) return syntax('trailing dot in domain');
  if (Buffer.byteLength(domain) > MAX_DOMAIN_OCTETS) return syntax('domain longer than 255 octets');
  for (const label of domain.split('.')) {
    if (label === '') return syntax('empty label in domain');
    if (Buffer.byteLength(label) > MAX_LABEL_OCTETS) return syntax('domain label longer than 63 octets');
    // RFC 5321 §4.1.2: sub-domain = Let-dig [Ldh-str]; Ldh-str ends in Let-dig
    if (label.startsWith('-') || label.endsWith('-')) return syntax('domain label starts or ends with "-"');
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (isLetDig(c) || c === 0x2d) continue;
      if (c < 0x80) return syntax(`invalid character ${JSON.stringify(label[i])} in domain`);
      if (c === 0xfffd) return syntax('invalid UTF-8 in domain');
      // RFC 6531 §3.3: sub-domain =/ U-label, only when SMTPUTF8 was given
      if (!utf8) return { kind: 'non-ascii', reason: 'non-ASCII domain requires SMTPUTF8' };
    }
  }
  return undefined;
}

/** True when `domain` is a syntactically valid host name (see {@link domainProblem}). */
export function isValidDomain(domain: string, options: { utf8: boolean } = { utf8: false }): boolean {
  return domainProblem(domain, options.utf8) === undefined;
}

/** RFC 5321 §4.1.3: IPv4-address-literal = Snum 3("." Snum), Snum 0..255. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * RFC 5321 §4.1.3: IPv6-addr (full, compressed, and with a trailing IPv4).
 * Accepts up to 7 groups beside "::" (RFC 4291 §2.2) where RFC 5321 says 6.
 */
export function isIPv6(text: string): boolean {
  let s = text;
  if (s.includes('.')) {
    const lastColon = s.lastIndexOf(':');
    if (lastColon < 0 || !isIPv4(s.slice(lastColon + 1))) return false;
    s = `${s.slice(0, lastColon + 1)}0:0`; // the IPv4 tail counts as two groups
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/**
 * Parse an address literal including its brackets. Returns undefined when it
 * is malformed or uses a General-address-literal tag other than "IPv6"
 * (no other tag is registered, RFC 5321 §4.1.3).
 */
export function parseAddressLiteral(text: string): AddressLiteral | undefined {
  if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
  const inner = text.slice(1, -1);
  if (/^ipv6:/i.test(inner)) {
    const ip = inner.slice(5);
    return isIPv6(ip) ? { kind: 'ipv6', ip } : undefined;
  }
  return isIPv4(inner) ? { kind: 'ipv4', ip: inner } : undefined;
}
