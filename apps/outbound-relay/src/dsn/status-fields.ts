/**
 * The machine-readable part of a delivery status notification: the body of
 * message/delivery-status (RFC 3464 §2.1), one group of per-message fields
 * (§2.2), then a group of per-recipient fields for each recipient (§2.3),
 * groups separated by an empty line.
 */
import type { OutboundQueued, Recipient } from '@mail/contracts';
import type { SmtpReply } from '@mail/smtp';
import { replyText } from '@mail/smtp-client';
import type { NoticeAction, NoticeRecipient } from '../queue/delivery-notifier';

/** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; fields are folded at spaces. */
const FOLD_AT = 78;
/** RFC 5322 §2.1.1: never more than 998 characters in a line. */
const MAX_WORD = 900;

/** `Name: value`, folded at spaces (RFC 5322 §2.2.3), CRLF-terminated; control characters become spaces. */
export function field(name: string, value: string): string {
  const words = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .trim()
    .split(/ +/)
    .map((w) => w.slice(0, MAX_WORD));
  let line = `${name}:`;
  let out = '';
  for (const word of words) {
    if (line.length + 1 + word.length > FOLD_AT && line.trim() !== `${name}:`) {
      out += `${line}\r\n`;
      line = `\t${word}`;
    } else {
      line += ` ${word}`;
    }
  }
  return `${out}${line}\r\n`;
}

/** RFC 5322 §3.3 date-time, in UTC: `Mon, 01 Jan 2025 00:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** RFC 6533 §3: addresses with non-ASCII characters are of type utf-8, others rfc822. */
function addressField(name: string, address: string): string {
  return field(name, `${/[^\p{ASCII}]/u.test(address) ? 'utf-8' : 'rfc822'}; ${address}`);
}

/**
 * RFC 3464 §2.3.4 Status: the reply's enhanced code (RFC 3463) when it has
 * one, else the class of the reply or the action; a message out of time is
 * X.4.7 "delivery time expired" (RFC 3463 §3.5), a persistent transient failure.
 */
export function statusOf(action: NoticeAction, recipient: Pick<NoticeRecipient, 'reply' | 'expired'>): string {
  if (recipient.expired) return '4.4.7';
  const enhanced = recipient.reply?.enhanced;
  if (enhanced && /^[245]\.\d{1,3}\.\d{1,3}$/.test(enhanced)) return enhanced;
  const fallback = action === 'failed' ? 5 : action === 'delayed' ? 4 : 2;
  const cls = recipient.reply ? Math.floor(recipient.reply.code / 100) : fallback;
  return `${[2, 4, 5].includes(cls) ? cls : fallback}.0.0`;
}

/** RFC 3464 §2.3.6: the remote server's reply as `smtp; ...`, or our own reason as an X- type. */
function diagnostic(recipient: NoticeRecipient, reply: SmtpReply | undefined): string {
  return recipient.remote && reply ? field('Diagnostic-Code', `smtp; ${replyText(reply)}`) : field('Diagnostic-Code', `X-Mail-Relay; ${recipient.detail}`);
}

/** §2.2: Reporting-MTA, Original-Envelope-Id (the ENVID, §2.2.1), Arrival-Date. */
export function perMessageFields(message: Pick<OutboundQueued, 'queueId' | 'queuedAt' | 'envelope'>, hostname: string): string {
  const envid = message.envelope.dsnEnvelopeId;
  return [
    field('Reporting-MTA', `dns; ${hostname}`),
    envid ? field('Original-Envelope-Id', envid) : '',
    field('X-Mail-Queue-ID', message.queueId),
    field('Arrival-Date', rfc5322Date(new Date(message.queuedAt))),
  ].join('');
}

/** §2.3: Original-Recipient (the ORCPT, §2.3.1), Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code, dates. */
export function perRecipientFields(action: NoticeAction, recipient: NoticeRecipient, envelope: Recipient | undefined, retryUntil?: Date): string {
  const orcpt = envelope?.dsn?.orcpt;
  const semi = orcpt?.indexOf(';') ?? -1;
  return [
    orcpt && semi > 0 ? field('Original-Recipient', `${orcpt.slice(0, semi)}; ${orcpt.slice(semi + 1)}`) : '',
    addressField('Final-Recipient', recipient.recipient),
    field('Action', action),
    field('Status', statusOf(action, recipient)),
    recipient.remote ? field('Remote-MTA', `dns; ${recipient.remote.host}`) : '',
    diagnostic(recipient, recipient.reply),
    field('Last-Attempt-Date', rfc5322Date(new Date(recipient.at))),
    action === 'delayed' && retryUntil ? field('Will-Retry-Until', rfc5322Date(retryUntil)) : '',
  ].join('');
}
