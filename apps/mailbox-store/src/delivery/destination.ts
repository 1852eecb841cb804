/** Where a classified message goes: which users' mailboxes, and which folder. */
import type { MailClassified, SpamVerdict } from '@mail/contracts';
import { parseAccountAddress } from '../accounts/account-address';
import { Folders, type FolderName } from '../mailbox/folders';

export interface Destination {
  /** Normalized addresses of the local mailbox owners, without duplicates. */
  readonly mailboxes: string[];
  /** Mailbox values that are not valid account addresses (logged, skipped). */
  readonly invalid: string[];
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

/** Local recipients (route `local`) by their resolved mailbox, or their address when ingress did not resolve one. */
export function destinationOf(event: Pick<MailClassified, 'envelope' | 'verdict'>): Destination {
  const mailboxes = new Set<string>();
  const invalid: string[] = [];
  for (const recipient of event.envelope.recipients) {
    if (recipient.route !== 'local') continue;
    const mailbox = recipient.mailbox ?? recipient.address;
    const account = parseAccountAddress(mailbox);
    if (account) mailboxes.add(account.address);
    else invalid.push(mailbox);
  }
  return { mailboxes: [...mailboxes], invalid, folder: folderFor(event.verdict.action) };
}
