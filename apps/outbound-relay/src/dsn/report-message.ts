/**
 * A delivery status notification as a message (RFC 3464 §2, RFC 6522):
 * multipart/report; report-type=delivery-status with three parts — a
 * human-readable explanation, the message/delivery-status fields, and the
 * original message's header section (text/rfc822-headers) or, when the
 * sender asked with RET=FULL and it is not too large, the whole message
 * (message/rfc822). Everything derives from its input, so building it again
 * after a crash gives the same octets.
 */
import type { OutboundQueued } from '@mail/contracts';
import type { NoticeAction, NoticeRecipient } from '../queue/delivery-notifier';
import { field, perMessageFields, perRecipientFields, rfc5322Date } from './status-fields';

/** What is returned of the original message. */
export interface ReturnedContent {
  readonly kind: 'headers' | 'full';
  /** Header section (ending with its last CRLF), or the whole message. */
  readonly content: Buffer;
}

export interface ReportInput {
  readonly action: NoticeAction;
  /** Queue id of the notice: its Message-ID and MIME boundary derive from it. */
  readonly noticeId: string;
  /** Reporting-MTA and the notice's From: domain (MAIL_HOSTNAME). */
  readonly hostname: string;
  readonly date: Date;
  readonly message: Pick<OutboundQueued, 'queueId' | 'queuedAt' | 'envelope'>;
  readonly recipients: readonly NoticeRecipient[];
  readonly returned: ReturnedContent;
  /** For `delayed`: when the relay gives up (Will-Retry-Until, RFC 3464 §2.3.8). */
  readonly retryUntil?: Date;
}

export interface ReportMessage {
  readonly bytes: Buffer;
  /** Holds octets above 127 (a returned 8-bit message): it travels as 8BITMIME. */
  readonly eightBit: boolean;
}

const subjects: Record<NoticeAction, string> = {
  failed: 'Undelivered Mail Returned to Sender',
  delayed: 'Delayed Mail (still being retried)',
  relayed: 'Successful Mail Delivery Report',
};

const intros: Record<NoticeAction, string> = {
  failed: 'Your message could not be delivered to the recipients below. The mail\r\nsystem gave up; the reason for each recipient follows.',
  delayed: 'Your message has not been delivered yet to the recipients below. This is\r\nonly a warning: the mail system keeps trying and you need not send it again.',
  relayed: 'Your message was delivered to the mail servers of the recipients below,\r\nas you asked to be told. Those servers do not send delivery reports, so\r\nthis is the last news of it.',
};

export function buildReport(input: ReportInput): ReportMessage {
  const boundary = `=_report_${input.noticeId}`;
  const eightBit = input.returned.content.some((octet) => octet > 127) || input.recipients.some((r) => /[^\p{ASCII}]/u.test(r.recipient + r.detail));
  const cte = eightBit ? field('Content-Transfer-Encoding', '8bit') : '';
  const head = [
    field('From', `Mail Delivery System <MAILER-DAEMON@${input.hostname}>`),
    field('To', `<${input.message.envelope.mailFrom}>`),
    field('Subject', subjects[input.action]),
    field('Date', rfc5322Date(input.date)),
    field('Message-ID', `<${input.noticeId}@${input.hostname}>`),
    // RFC 3834 §5: machine-generated in reply to a message; autoresponders must not answer it
    field('Auto-Submitted', 'auto-replied'),
    field('MIME-Version', '1.0'),
    field('Content-Type', `multipart/report; report-type=delivery-status; boundary="${boundary}"`),
    cte,
  ].join('');
  const parts = [
    part(`${field('Content-Type', `text/plain; charset=${eightBit ? 'utf-8' : 'us-ascii'}`)}${cte}`, humanText(input)),
    part(field('Content-Type', 'message/delivery-status'), statusBody(input)),
    returnedPart(input.returned, cte),
  ];
  const body = Buffer.concat([
    Buffer.from(`${head}\r\nThis is a MIME-encapsulated delivery status notification (RFC 3464).\r\n`),
    ...parts.flatMap((p) => [Buffer.from(`\r\n--${boundary}\r\n`), p]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { bytes: body, eightBit };
}

function part(headers: string, body: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${headers}\r\n`), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

/** RFC 3464 §2.1: per-message fields, then one group per recipient, each group ending with an empty line. */
function statusBody(input: ReportInput): string {
  const byAddress = new Map(input.message.envelope.recipients.map((r) => [r.address, r]));
  const groups = [perMessageFields(input.message, input.hostname), ...input.recipients.map((r) => perRecipientFields(input.action, r, byAddress.get(r.recipient), input.retryUntil))];
  return groups.join('\r\n');
}

function humanText(input: ReportInput): string {
  const lines = [`This is the mail system at ${input.hostname}.`, '', intros[input.action], '', ...input.recipients.map((r) => `<${r.recipient}>: ${r.detail.slice(0, 900)}`), ''];
  if (input.action === 'delayed' && input.retryUntil) lines.push(`It will keep trying until ${rfc5322Date(input.retryUntil)}.`, '');
  if (input.returned.kind === 'headers') lines.push("The original message's header is attached.");
  else lines.push('The original message is attached.');
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 6522 §3 (text/rfc822-headers) or RFC 2046 §5.2.1 (message/rfc822, 7bit or 8bit only). */
function returnedPart(returned: ReturnedContent, cte: string): Buffer {
  const type = returned.kind === 'full' ? 'message/rfc822' : 'text/rfc822-headers';
  const content = returned.content.length === 0 || returned.content.subarray(-2).toString('latin1') === '\r\n' ? returned.content : Buffer.concat([returned.content, Buffer.from('\r\n')]);
  return part(`${field('Content-Type', type)}${cte}`, content);
}
