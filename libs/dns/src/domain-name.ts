/**
 * Canonical form of a domain name for comparison and display: lower case,
 * no trailing root dot, the root itself written ".".
 */

/** RFC 4343 §3: DNS names compare case-insensitively (ASCII only). */
export function normalizeDomainName(name: string): string {
  const bare = name.trim().toLowerCase().replace(/\.+$/, '');
  return bare === '' ? '.' : bare;
}
