/**
 * Which mailboxes receive mail for an address, decided over a view of the
 * directory: the user of that address; else the targets of the alias of
 * that address; else the targets of the domain's catch-all (`@domain`).
 * Aliases are followed one level only — their targets count while they are
 * users, never other aliases — so no chain can loop. Comparison is
 * case-insensitive: the domain because DNS is (RFC 4343), the local part by
 * this system's choice (RFC 5321 §2.4 lets the receiving host decide).
 *
 * One decision for two views: mailbox-store's over its tables
 * (`directory.resolve`) and smtp-ingress's over its directory replica, so
 * both give the same answer for the same accounts.
 */

/** What the decision reads; addresses and domains are asked lower-cased. */
export interface DirectoryView {
  isLocalDomain(domain: string): boolean;
  /** The user or alias at `address` (`local@domain`, or `@domain` for a catch-all), if any. */
  entryOf(address: string): { readonly kind: 'user' } | { readonly kind: 'alias'; readonly targets: readonly string[] } | undefined;
}

export type AddressResolution =
  | { readonly kind: 'not-local-domain' }
  | { readonly kind: 'unknown-user' }
  | {
      readonly kind: 'local';
      /** Owner addresses, without duplicates, in target order. */
      readonly mailboxes: string[];
      readonly via: 'user' | 'alias' | 'catch-all';
    };

/** The catch-all alias address of a (lower-cased) domain. */
export function catchAllOf(domain: string): string {
  return `@${domain}`;
}

/** The domain and the lower-cased address a decision looks up; the domain is undefined without a local part. */
export function lookupKeysOf(input: string): { address: string; domain: string | undefined } {
  const at = input.lastIndexOf('@');
  return { address: input.toLowerCase(), domain: at <= 0 ? undefined : input.slice(at + 1).toLowerCase() };
}

export function resolveInDirectory(input: string, view: DirectoryView): AddressResolution {
  const { address, domain } = lookupKeysOf(input);
  if (domain === undefined || !view.isLocalDomain(domain)) return { kind: 'not-local-domain' };
  const own = view.entryOf(address);
  if (own?.kind === 'user') return { kind: 'local', mailboxes: [address], via: 'user' };
  const catchAll = own === undefined ? view.entryOf(catchAllOf(domain)) : undefined;
  const alias = own ?? catchAll;
  if (alias?.kind !== 'alias') return { kind: 'unknown-user' };
  // One level: a target counts only while it is a user (a removed user may linger in an alias until cleaned up).
  const mailboxes = alias.targets.filter((target, i) => alias.targets.indexOf(target) === i && view.entryOf(target)?.kind === 'user');
  // An alias whose targets are all gone refuses the address rather than falling through to the catch-all.
  if (mailboxes.length === 0) return { kind: 'unknown-user' };
  return { kind: 'local', mailboxes, via: own === undefined ? 'catch-all' : 'alias' };
}
