/**
 * One SMTP client session as a sending MTA runs it (@mail/smtp-client),
 * reporting for each message exactly how far it got: `accepted` (2xx after
 * the final dot), `refused` (any other reply, or the connection lost before
 * the final dot was sent — the message is certainly not queued), or
 * `unconfirmed` (the connection died or went silent after the final dot and
 * before the reply: the RFC 1047 window, where the server may have queued
 * it). A message goes to every recipient or to none: a refused recipient
 * refuses the message, and it is sent again later.
 */
import { messageRequest, openSession, runTransaction, transactionOutcome, type SmtpSession, type SmtpTimeouts } from '@mail/smtp-client';
import { renderMessage, type Mailbox, type PlannedMessage } from './message-plan';

export type AttemptOutcome = 'accepted' | 'refused' | 'unconfirmed';

const replyTimeoutMs = 30_000;
/** RFC 5321 §4.5.3.2.6 suggests 10 minutes for the reply to the final dot; the matrix settles for one. */
const dataEndTimeoutMs = 60_000;
const timeouts: SmtpTimeouts = {
  connectMs: replyTimeoutMs,
  greetingMs: replyTimeoutMs,
  commandMs: replyTimeoutMs,
  dataInitMs: replyTimeoutMs,
  dataBlockMs: replyTimeoutMs,
  dataEndMs: dataEndTimeoutMs,
};

/** Connects, reads the greeting, says EHLO and, for submission, authenticates (AUTH PLAIN in the clear: the matrix allows it on loopback). */
export function openSendingSession(port: number, login?: Mailbox): Promise<SmtpSession> {
  return openSession(
    { host: '127.0.0.1', address: '127.0.0.1', port },
    { heloName: 'chaos-client.test', timeouts, startTls: false, ...(login ? { auth: { user: login.address, password: login.password } } : {}) },
  );
}

/** Sends one message; the session is not to be reused after anything but `accepted`. */
export async function sendPlanned(session: SmtpSession, message: PlannedMessage): Promise<AttemptOutcome> {
  const request = messageRequest({ from: message.mailFrom, to: message.rcptTo, allRecipientsOrNone: true }, renderMessage(message));
  const outcome = transactionOutcome(await runTransaction(session, request));
  return outcome.kind === 'accepted' || outcome.kind === 'unconfirmed' ? outcome.kind : 'refused';
}
