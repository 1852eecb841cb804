/**
 * Recipients of one message grouped by domain: each domain is looked up
 * once and gets one copy of the message per destination host.
 */
import { domainToASCII } from 'node:url';

export interface DomainGroup {
  /** The domain for DNS: lower case, A-labels for internationalized names, or an address literal. */
  readonly domain: string;
  /** Addresses as given, in their original order. */
  readonly recipients: readonly string[];
}

/** The domain part of `local@domain` (the last "@": a quoted local part may contain one). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** The lookup form of a domain; address literals like `[192.0.2.1]` stay as written. */
export function lookupDomain(domain: string): string {
  const bare = domain.replace(/\.+$/, '');
  if (bare.startsWith('[')) return bare;
  // RFC 5321 §2.4: domain names are case-insensitive; RFC 5891 §5: look names up by their A-labels
  return domainToASCII(bare) || bare.toLowerCase();
}

/** RFC 5321 §2.4: the local part is case-sensitive, the domain is not. */
function mailboxKey(address: string): string {
  return `${address.slice(0, address.lastIndexOf('@'))}@${lookupDomain(domainOf(address))}`;
}

/** The addresses without repeats of the same mailbox, first spelling kept, in order. */
export function uniqueMailboxes(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = mailboxKey(address);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Groups addresses by lookup domain, repeats of a mailbox dropped; groups in order of first appearance. */
export function groupByDomain(addresses: readonly string[]): DomainGroup[] {
  const groups = new Map<string, string[]>();
  for (const address of uniqueMailboxes(addresses)) {
    const domain = lookupDomain(domainOf(address));
    const list = groups.get(domain) ?? [];
    list.push(address);
    groups.set(domain, list);
  }
  return [...groups].map(([domain, recipients]) => ({ domain, recipients }));
}
