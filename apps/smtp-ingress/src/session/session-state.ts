/**
 * What one SMTP session knows: who the client is, what it said in HELO/EHLO,
 * whether TLS and authentication are active, and the mail transaction in
 * progress (RFC 5321 §3.3: MAIL, RCPT..., DATA or BDAT). The phase the state
 * gate decides on is derived from it, never stored twice.
 */
import type { Recipient } from '@mail/contracts';
import type { MailParams } from '../envelope/mail-params';
import type { MessageBody } from '../message/message-body';

/**
 * Which listener accepted the connection: inbound MX (port 25), submission (port 587, RFC 6409) or submissions (port 465: submission over
 * implicit TLS, RFC 8314 §3.3). The kind is also the `listener` label of metrics and logs.
 */
export type ListenerKind = 'inbound' | 'submission' | 'submissions';

/** RFC 8314 §3.3: submissions is message submission (RFC 6409) over TLS from the first byte, under the same policy (AUTH before MAIL, relay when authenticated). */
export function isSubmissionListener(listener: ListenerKind): boolean {
  return listener === 'submission' || listener === 'submissions';
}

/** One mail transaction, from MAIL to the end of the message. */
export interface MailTransaction {
  /** The reverse-path; '' for the null sender `<>` (RFC 5321 §4.5.5). */
  readonly mailFrom: string;
  readonly params: MailParams;
  /** Accepted recipients in RCPT order. */
  readonly recipients: Recipient[];
  /** Set by the first BDAT chunk (RFC 3030 §2); DATA is refused from then on. */
  bdatBody?: MessageBody;
}

/** The session's facts and its transaction. */
export interface SessionState {
  readonly id: string;
  readonly listener: ListenerKind;
  /** The real client's IP as a plain address (IPv4-mapped IPv6 unwrapped; from the PROXY header behind a load balancer). */
  readonly clientIp: string;
  readonly clientPort: number | undefined;
  /** What the client said in HELO/EHLO; `extended` for EHLO (RFC 5321 §4.1.1.1). */
  helo: { name: string; extended: boolean } | undefined;
  /** TLS is active on the connection (after STARTTLS, RFC 3207, or from the first byte on submissions, RFC 8314 §3.3). */
  tls: boolean;
  /** The authenticated user (submission, RFC 4954); never a password. */
  authUser: string | undefined;
  transaction: MailTransaction | undefined;
  /** Messages accepted in this session (SMTP_MAX_MESSAGES_PER_CONNECTION). */
  messages: number;
}

/**
 * Where the session stands, for the state gate:
 * greeted (no HELO yet) → ready → mail (MAIL given) → rcpt (a recipient
 * accepted) → bdat (BDAT chunks arriving).
 */
export type SessionPhase = 'greeted' | 'ready' | 'mail' | 'rcpt' | 'bdat';

/** A fresh state for a new connection. */
export function newSessionState(id: string, listener: ListenerKind, clientIp: string, clientPort: number | undefined): SessionState {
  return { id, listener, clientIp, clientPort, helo: undefined, tls: false, authUser: undefined, transaction: undefined, messages: 0 };
}

/** The phase derived from the state. */
export function sessionPhase(state: SessionState): SessionPhase {
  if (state.helo === undefined) return 'greeted';
  const tx = state.transaction;
  if (tx === undefined) return 'ready';
  if (tx.bdatBody !== undefined) return 'bdat';
  return tx.recipients.length > 0 ? 'rcpt' : 'mail';
}

/** RFC 5321 §4.1.1.5: RSET (and HELO/EHLO, §4.1.4) abort the transaction. */
export function resetTransaction(state: SessionState): void {
  state.transaction = undefined;
}

/** RFC 3207 §4.2: after STARTTLS the server forgets what the client said, back to before EHLO. */
export function resetAfterTls(state: SessionState): void {
  state.helo = undefined;
  state.transaction = undefined;
  state.authUser = undefined;
  state.tls = true;
}

/** The client's IP for the session facts; an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) `::ffff:192.0.2.1` becomes `192.0.2.1`. */
export function plainClientIp(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined || remoteAddress === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(remoteAddress);
  return mapped?.[1] ?? remoteAddress;
}
