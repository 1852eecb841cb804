/**
 * Where a recipient goes, from the directory's answer (mailbox-store's
 * `directory.resolve`): our mailbox (local), another domain (remote — only
 * for authenticated submission; the inbound listener is no open relay,
 * RFC 5321 §3.9 and RFC 2505 §2), or nowhere (unknown user).
 */
import type { Recipient, ResolveRecipientResponse } from '@mail/contracts';
import { C550MailboxUnavailable, C552ExceededStorage, EsBadDestMailbox, EsDeliveryNotAuthorized, EsMailboxFull, SmtpReplyError } from '@mail/smtp';
import type { RecipientDsnParams } from './rcpt-params';

/**
 * The envelope entry for one accepted RCPT: a local address carries its
 * mailbox owner, and every owner when an alias has several. Throws
 * {@link SmtpReplyError} 550 5.1.1 for an unknown user, 552 5.2.2 when every
 * mailbox is full, 550 5.7.1 for another domain unless `mayRelay`.
 */
export function routeRecipient(address: string, resolution: ResolveRecipientResponse, mayRelay: boolean, dsn: RecipientDsnParams | undefined): Recipient {
  const extra = dsn === undefined ? {} : { dsn };
  switch (resolution.result) {
    case 'local': {
      const { mailboxes, overQuota = [] } = resolution;
      // RFC 3463 §3.3: X.2.2 mailbox full; RFC 5321 §4.2.2: 552 exceeded storage allocation
      if (mailboxes.every((mailbox) => overQuota.includes(mailbox))) {
        throw new SmtpReplyError(C552ExceededStorage, EsMailboxFull, 'Mailbox full', { userFault: false });
      }
      const several = mailboxes.length > 1 ? { mailboxes } : {};
      return { address, route: 'local', mailbox: mailboxes[0], ...several, ...extra };
    }
    case 'not-local-domain':
      if (mayRelay) return { address, route: 'remote', ...extra };
      throw new SmtpReplyError(C550MailboxUnavailable, EsDeliveryNotAuthorized, 'Relaying denied');
    case 'unknown-user':
      // RFC 3463 §3.2: X.1.1 bad destination mailbox address
      throw new SmtpReplyError(C550MailboxUnavailable, EsBadDestMailbox, 'No such user here');
  }
}
