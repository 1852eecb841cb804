/**
 * What this server refuses in message content, decided at the end of the
 * data (after the terminator of DATA, after BDAT LAST):
 *
 * - Larger than MAX_MESSAGE_SIZE → 552 5.3.4 (RFC 1870 §6.3, RFC 5321
 *   §4.5.3.1.10). The rest of the data was read and discarded.
 * - A bare CR or bare LF anywhere → 550 5.6.11. Policy (SMTP smuggling
 *   defence): such data is rejected, never normalised, and never ends DATA
 *   — only <CRLF>.<CRLF> does (RFC 5321 §4.1.1.4, §2.3.8) — so no message
 *   is accepted that another MTA could split differently.
 * - A line longer than SMTP_MAX_LINE_LENGTH octets including CRLF → 550
 *   5.6.0. RFC 5321 §4.5.3.1.6 limits lines to 1000 octets, but real mail
 *   breaks it and Postfix keeps such mail: refusing it bounced about 0.5 %
 *   of the SpamAssassin corpus. So lines up to the bound (64 KiB by
 *   default) are kept as received, never wrapped or truncated here (that
 *   would change the message and break its signatures); outbound-relay
 *   re-encodes them before sending them to another server (RFC 5322 §2.1.1).
 *
 * BODY=BINARYMIME over BDAT has no lines and gets only the size check.
 */
import { C550MailboxUnavailable, C552ExceededStorage, EsBareLineEnding, EsMediaOther, EsMessageTooBig, SmtpReplyError } from '@mail/smtp';

/** Facts about the data just received. */
export interface ContentFacts {
  readonly size: number;
  readonly maxSize: number;
  readonly bareLineEndings: boolean;
  /** The longest line, in octets including its line ending. */
  readonly longestLine: number;
  readonly maxLineLength: number;
}

/** Why a message was refused, for the metric `mail_smtp_messages_rejected_total{reason}`. */
export const CONTENT_REJECTION_REASONS = ['too-big', 'bare-line-ending', 'long-line'] as const;
export type ContentRejectionReason = (typeof CONTENT_REJECTION_REASONS)[number];

/** A refused message: the reason label and the reply to send. */
export interface ContentRejection {
  readonly reason: ContentRejectionReason;
  readonly error: SmtpReplyError;
}

/** The rejection for this content, or undefined when it is acceptable. */
export function contentRejection(facts: ContentFacts): ContentRejection | undefined {
  if (facts.size > facts.maxSize) {
    const text = `Message size exceeds fixed maximum message size (${facts.maxSize} octets)`;
    return { reason: 'too-big', error: new SmtpReplyError(C552ExceededStorage, EsMessageTooBig, text) };
  }
  if (facts.bareLineEndings) {
    const text = 'Message contains bare CR or LF; lines must end with CRLF (RFC 5321 §2.3.8)';
    return { reason: 'bare-line-ending', error: new SmtpReplyError(C550MailboxUnavailable, EsBareLineEnding, text) };
  }
  if (facts.longestLine > facts.maxLineLength) {
    const text = `Message contains a line of ${facts.longestLine} octets; this server accepts lines of at most ${facts.maxLineLength} (RFC 5321 §4.5.3.1.6)`;
    return { reason: 'long-line', error: new SmtpReplyError(C550MailboxUnavailable, EsMediaOther, text) };
  }
  return undefined;
}
