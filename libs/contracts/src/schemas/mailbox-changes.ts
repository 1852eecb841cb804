/**
 * `mail.v1.mailbox.changed`: a folder changed (a message delivered,
 * appended or copied in; flags stored; messages expunged; the folder
 * renamed or deleted), sent by mailbox-store after the commit to every
 * listening replica of the IMAP server (IDLE, RFC 2177; NOTIFY-like
 * updates between commands). Fire and forget: a listener that missed one
 * resynchronises with messages.changes, which is the truth.
 */
import { z } from 'zod';
import { MailboxAddress } from './common';
import { ImapUid, ModSeq } from './imap-common';

/** Most UIDs one notice lists; a larger change says `truncated` and the listener asks messages.changes. */
export const MAILBOX_CHANGED_MAX_UIDS = 1000;

export const MailboxChanged = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  folder: z.string(),
  uidValidity: ImapUid,
  kind: z.enum(['added', 'flags', 'expunged', 'folder']),
  /** The UIDs concerned (added, flags changed, expunged); empty for `folder` (created, renamed, deleted). */
  uids: z.array(ImapUid).max(MAILBOX_CHANGED_MAX_UIDS),
  truncated: z.boolean().default(false),
  /** The folder's highestModseq after the change. */
  modseq: ModSeq,
});
export type MailboxChanged = z.infer<typeof MailboxChanged>;
