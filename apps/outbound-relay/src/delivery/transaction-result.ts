/**
 * The meaning of one transaction's replies for each recipient (RFC 5321
 * §3.3, §4.2.1): a reply to MAIL applies to every recipient; a reply to one
 * RCPT only to that recipient; the reply to DATA (and after the end of data)
 * to every recipient whose RCPT was accepted. A recipient is delivered only
 * after the final 250. A reply that never came leaves the recipient
 * `untried` here: the caller may try the next server.
 */
import type { SmtpReply } from '@mail/smtp';
import type { TransactionReplies } from '@mail/smtp-client';
import { statusOfReply, type RecipientStatus } from './recipient-outcome';

export type TransactionStage = 'MAIL FROM' | 'RCPT TO' | 'DATA' | 'end of data';

export type RecipientResult =
  { readonly recipient: string; readonly status: RecipientStatus; readonly reply: SmtpReply; readonly stage: TransactionStage } | { readonly recipient: string; readonly status: 'untried' };

/** Per-recipient results, in the order of `recipients`. */
export function recipientResults(recipients: readonly string[], replies: TransactionReplies): RecipientResult[] {
  const { mail, dataStart, dataEnd } = replies;
  return recipients.map((recipient, i): RecipientResult => {
    if (!mail) return { recipient, status: 'untried' };
    // RFC 5321 §4.1.1.2: a refused MAIL ends the transaction for everyone
    if (statusOfReply(mail.code) !== 'delivered') return { recipient, status: statusOfReply(mail.code), reply: mail, stage: 'MAIL FROM' };
    const rcpt = replies.rcpt[i];
    if (!rcpt) return { recipient, status: 'untried' };
    // RFC 5321 §4.1.1.3: each RCPT is answered for its own recipient
    if (statusOfReply(rcpt.code) !== 'delivered') return { recipient, status: statusOfReply(rcpt.code), reply: rcpt, stage: 'RCPT TO' };
    if (!dataStart) return { recipient, status: 'untried' };
    // RFC 5321 §4.1.1.4: anything but 354 refuses the data for every accepted recipient
    if (dataStart.code !== 354) return { recipient, status: failureOf(dataStart.code), reply: dataStart, stage: 'DATA' };
    // No reply after the end of data: the server may or may not have the message (RFC 5321 §6.1 accepts a duplicate)
    if (!dataEnd) return { recipient, status: 'untried' };
    return { recipient, status: statusOfReply(dataEnd.code), reply: dataEnd, stage: 'end of data' };
  });
}

/**
 * RFC 5321 §4.5.3.1.10: 452 to a RCPT may mean "too many recipients"; the
 * client should send those in a further transaction. Returns them when the
 * server did take part of this one (so another transaction can make progress).
 */
export function recipientsOverLimit(results: readonly RecipientResult[]): string[] {
  const over = results.filter((r) => r.status === 'temporary' && 'reply' in r && r.stage === 'RCPT TO' && r.reply.code === 452);
  const progressed = results.some((r) => r.status === 'delivered');
  return progressed ? over.map((r) => r.recipient) : [];
}

/** A reply that should not have been positive here counts as a temporary failure. */
function failureOf(code: number): 'temporary' | 'permanent' {
  return statusOfReply(code) === 'permanent' ? 'permanent' : 'temporary';
}
