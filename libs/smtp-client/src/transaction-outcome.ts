/**
 * What became of a whole message, for a client that sends it to every
 * recipient or not at all and decides itself whether to try again (load
 * generators, test senders, the crash matrix). A relay reads the replies
 * per recipient instead (apps/outbound-relay: delivery/transaction-result.ts).
 */
import { isPositiveCompletion, type SmtpReply } from '@mail/smtp';
import type { TransactionReplies } from './transaction';

/** Where in the transaction a refusal came (RFC 5321 §3.3). */
export type RefusedStage = 'MAIL' | 'RCPT' | 'DATA' | 'end of data';

export type TransactionOutcome =
  /** A 2xx after the end of data: the server has the message. */
  | { readonly kind: 'accepted'; readonly reply: SmtpReply }
  /** A reply said no (the first that did; 4xx temporary, 5xx permanent, RFC 5321 §4.2.1): the server does not have the message. */
  | { readonly kind: 'refused'; readonly stage: RefusedStage; readonly reply: SmtpReply }
  /** The connection broke, timed out or the message could not be read before the end-of-data mark went out: the server does not have it. */
  | { readonly kind: 'failed'; readonly error: Error }
  /**
   * The connection broke after the end-of-data mark and before the reply:
   * the server may have queued the message (RFC 1047; RFC 5321 §6.1 accepts
   * the duplicate a retry may make).
   */
  | { readonly kind: 'unconfirmed'; readonly error: Error };

/** Sums up a transaction's replies (see {@link TransactionOutcome}). */
export function transactionOutcome(replies: TransactionReplies): TransactionOutcome {
  if (replies.dataEnd) {
    return isPositiveCompletion(replies.dataEnd.code) ? { kind: 'accepted', reply: replies.dataEnd } : { kind: 'refused', stage: 'end of data', reply: replies.dataEnd };
  }
  // A refusal explains the end better than the broken connection that may follow it (a 421 then a close, RFC 5321 §3.8)
  if (replies.mail && !isPositiveCompletion(replies.mail.code)) return { kind: 'refused', stage: 'MAIL', reply: replies.mail };
  const rcpt = replies.rcpt.find((reply) => reply && !isPositiveCompletion(reply.code));
  if (rcpt) return { kind: 'refused', stage: 'RCPT', reply: rcpt };
  // RFC 5321 §4.1.1.4: anything but 354 refuses the data
  if (replies.dataStart && replies.dataStart.code !== 354) return { kind: 'refused', stage: 'DATA', reply: replies.dataStart };
  const error = replies.failure ?? new Error('the transaction ended without a reply to the end of data');
  return replies.endOfDataSentAt !== undefined && replies.failure ? { kind: 'unconfirmed', error } : { kind: 'failed', error };
}
