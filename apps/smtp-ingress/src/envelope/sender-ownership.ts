/**
 * Which senders an authenticated user may use on submission (RFC 6409
 * §6.1: the MSA may check that the sender is the authenticated user; as
 * Postfix's reject_sender_login_mismatch): the user's own address, and any
 * address of ours that delivers to that user — an alias (or catch-all)
 * whose targets include the user, as mailbox-store's `directory.resolve`
 * reports it. Everything else is 553 5.7.1. The null sender `<>` is
 * allowed: clients send MDNs (RFC 8098) and auto-replies with it.
 */
import { C553MailboxNameNotAllowed, EsDeliveryNotAuthorized, SmtpReplyError } from '@mail/smtp';
import type { RecipientDirectory } from '../directory/recipient-directory';

/**
 * Resolves when `user` owns `mailFrom` ('' for `<>`).
 *
 * @throws SmtpReplyError 553 5.7.1 when it does not; 451 4.4.3 when the
 *   directory cannot answer (from the directory).
 */
export async function checkSenderOwnership(directory: RecipientDirectory, user: string, mailFrom: string): Promise<void> {
  if (mailFrom === '') return;
  // RFC 5321 §2.4: the local part may be case-sensitive, but our accounts compare case-insensitively
  if (mailFrom.toLowerCase() === user.toLowerCase()) return;
  const resolution = await directory.resolve(mailFrom);
  if (resolution.result === 'local' && resolution.mailboxes.some((mailbox) => mailbox.toLowerCase() === user.toLowerCase())) return;
  throw new SmtpReplyError(C553MailboxNameNotAllowed, EsDeliveryNotAuthorized, `Sender address <${mailFrom}> not owned by user ${user}`);
}
