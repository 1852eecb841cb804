/**
 * Addresses as the envelope carries them between services: `local@domain`
 * without brackets, spaces or a second "@" (the MailboxAddress contract).
 * An address the SMTP grammar allows but the contract cannot carry (a quoted
 * local part with spaces) is refused here, at MAIL or RCPT, with 553.
 */
import { MailboxAddress } from '@mail/contracts';
import { C553MailboxNameNotAllowed, EsBadDestSyntax, EsBadSenderSyntax, SmtpReplyError, type ForwardPath, type ReversePath } from '@mail/smtp';

/** The reverse-path for the envelope: '' for `<>` (RFC 5321 §4.5.5). Throws 553 5.1.7. */
export function senderAddress(path: ReversePath): string {
  if (path === null) return '';
  if (!MailboxAddress.safeParse(path.address).success) {
    throw new SmtpReplyError(C553MailboxNameNotAllowed, EsBadSenderSyntax, 'Sender address not accepted here (unsupported form)');
  }
  return path.address;
}

/**
 * The forward-path for the envelope. `<Postmaster>` without a domain, which
 * must be accepted (RFC 5321 §4.1.1.3), becomes `postmaster@<hostname>`.
 * Throws 553 5.1.3.
 */
export function recipientAddress(path: ForwardPath, hostname: string): string {
  const address = path.domain === '' ? `postmaster@${hostname}` : path.address;
  if (!MailboxAddress.safeParse(address).success) {
    throw new SmtpReplyError(C553MailboxNameNotAllowed, EsBadDestSyntax, 'Recipient address not accepted here (unsupported form)');
  }
  return address;
}
