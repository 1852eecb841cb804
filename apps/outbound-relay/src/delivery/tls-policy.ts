/**
 * Which destinations require TLS (OUTBOUND_TLS_REQUIRED_DOMAINS): a list of
 * domains, each matching itself, or with a leading dot its subdomains
 * (`.example.org`), as Postfix's smtp_tls_policy_maps writes them. For those,
 * the relay delivers only over STARTTLS (RFC 3207) with a certificate that
 * chains to a trusted CA and names the MX host (as MTA-STS does, RFC 8461
 * §4.2); anything less is a temporary failure. Every other destination gets
 * opportunistic TLS (RFC 7435): TLS when offered, any certificate accepted.
 */
import { lookupDomain } from './recipient-groups';

export type TlsRequirement = (domains: readonly string[]) => boolean;

export function tlsRequirement(required: readonly string[]): TlsRequirement {
  const exact = new Set<string>();
  const parents: string[] = [];
  for (const entry of required) {
    const name = entry.trim().toLowerCase();
    if (name === '') continue;
    if (name.startsWith('.')) parents.push(lookupDomain(name.slice(1)));
    else exact.add(lookupDomain(name));
  }
  const matches = (domain: string) => exact.has(domain) || parents.some((parent) => domain.endsWith(`.${parent}`));
  return (domains) => domains.some((domain) => matches(lookupDomain(domain)));
}
