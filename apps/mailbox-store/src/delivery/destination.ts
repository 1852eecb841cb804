/** Where a classified message goes: which users' mailboxes, and which folder. */
import type { MailClassified, SpamVerdict } from '@mail/contracts';
import { parseAccountAddress } from '../accounts/account-address';
import { Folders, type FolderName } from '../mailbox/folders';

export interface Destination {
  /** Normalized addresses of the local mailbox owners ingress resolved, without duplicates. */
  readonly mailboxes: string[];
  /** Local recipient addresses ingress did not resolve (no `mailbox(es)`): mailbox-store resolves them itself. */
  readonly unresolved: string[];
  /** Mailbox values that are not valid account addresses (logged, skipped). */
  readonly invalid: string[];
  /** The RCPT addresses behind each owner, where they differ from it (aliases), for the delivery events. */
  readonly addressedAs: Map<string, string[]>;
  readonly folder: FolderName;
}

/**
 * Junk for `junk`. A `reject` verdict should have been given during the SMTP
 * session; arriving here after acceptance it goes to Junk too, because the
 * sender was told 250 and mail is never dropped silently.
 */
export function folderFor(action: SpamVerdict['action']): FolderName {
  return action === 'deliver' ? Folders.inbox : Folders.junk;
}

/** Remember that `owner` was reached through `address` when the two differ. */
export function noteAddressedAs(addressedAs: Map<string, string[]>, owner: string, address: string): void {
  if (address.toLowerCase() === owner) return;
  const known = addressedAs.get(owner) ?? [];
  if (!known.includes(address)) addressedAs.set(owner, [...known, address]);
}

/**
 * Local recipients (route `local`) by their resolved mailboxes: `mailboxes`
 * when present, else `mailbox`, else the address is left to resolve.
 */
export function destinationOf(event: Pick<MailClassified, 'envelope' | 'verdict'>): Destination {
  const mailboxes = new Set<string>();
  const unresolved = new Set<string>();
  const invalid: string[] = [];
  const addressedAs = new Map<string, string[]>();
  for (const recipient of event.envelope.recipients) {
    if (recipient.route !== 'local') continue;
    const owners = recipient.mailboxes ?? (recipient.mailbox === undefined ? [] : [recipient.mailbox]);
    if (owners.length === 0) unresolved.add(recipient.address);
    for (const owner of owners) {
      const account = parseAccountAddress(owner);
      if (!account) {
        invalid.push(owner);
        continue;
      }
      mailboxes.add(account.address);
      noteAddressedAs(addressedAs, account.address, recipient.address);
    }
  }
  return { mailboxes: [...mailboxes], unresolved: [...unresolved], invalid, addressedAs, folder: folderFor(event.verdict.action) };
}
