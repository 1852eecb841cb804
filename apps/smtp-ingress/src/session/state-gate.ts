/**
 * The state gate: decides whether a parsed command may run in the session's
 * current phase (RFC 5321 §4.1.4 command order, RFC 3030 §2 BDAT, RFC 3207
 * STARTTLS, RFC 4954 §4 AUTH on submission), naming what is missing in the
 * 503 5.5.1. It also keeps the abuse limits: unknown verbs, HTTP spoken to
 * the SMTP port, messages per connection, and the budget of client errors.
 */
import {
  C421ServiceNotAvailable,
  C500SyntaxError,
  C502NotImplemented,
  C503BadSequence,
  C530AuthRequired,
  C538EncryptionRequiredForAuth,
  C554TransactionFailed,
  EsEncryptionRequiredForAuth,
  EsInvalidCommand,
  EsSecurityOther,
  EsSyntaxError,
  SmtpReplyError,
  type SmtpCommand,
} from '@mail/smtp';
import type { AuthAvailability } from '../auth/auth-policy';
import { ClosingReplyError } from './session-errors';
import { isSubmissionListener, sessionPhase, type SessionPhase, type SessionState } from './session-state';

/** What the gate needs to know about the server and the session. */
export interface GateSettings {
  /** A certificate is configured (STARTTLS can be offered). */
  readonly tlsAvailable: boolean;
  /** Whether AUTH can be used in this session now (auth-policy.ts). */
  readonly auth: AuthAvailability;
  /** SMTP_MAX_MESSAGES_PER_CONNECTION. */
  readonly maxMessagesPerConnection: number;
  /** MAIL_HOSTNAME, for 421 texts. */
  readonly hostname: string;
}

const badSequence = (text: string): SmtpReplyError => new SmtpReplyError(C503BadSequence, EsInvalidCommand, `Bad sequence of commands: ${text}`);

// Verbs of HTTP requests: a browser or proxy talking to the SMTP port
const HTTP_VERBS = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PATCH']);

/** The 503 for a command the phase does not allow, or undefined when allowed. */
function sequenceProblem(command: SmtpCommand, phase: SessionPhase, state: SessionState): string | undefined {
  switch (command.kind) {
    case 'MAIL':
      // RFC 5321 §4.1.4: MAIL needs a prior HELO/EHLO and no transaction in progress
      if (phase === 'greeted') return 'send HELO or EHLO first';
      if (phase !== 'ready') return 'sender already given, send RSET first';
      return undefined;
    case 'RCPT':
      if (phase === 'greeted' || phase === 'ready') return 'send MAIL FROM first';
      // RFC 3030 §2: recipients belong before the first BDAT chunk
      if (phase === 'bdat') return 'RCPT not allowed during BDAT transfer';
      return undefined;
    case 'DATA':
      if (phase === 'greeted' || phase === 'ready') return 'send MAIL FROM first';
      if (phase === 'mail') return 'send a valid RCPT TO first';
      // RFC 3030 §2: DATA and BDAT cannot be mixed in one transaction
      if (phase === 'bdat') return 'DATA not allowed after BDAT';
      // RFC 3030 §3: BINARYMIME data can only be sent with BDAT
      if (state.transaction?.params.bodyType === 'BINARYMIME') return 'BODY=BINARYMIME requires BDAT';
      return undefined;
    case 'BDAT':
      if (phase === 'greeted') return 'send EHLO first';
      if (phase === 'ready') return 'send MAIL FROM first';
      if (phase === 'mail') return 'send a valid RCPT TO first';
      return undefined;
    case 'STARTTLS':
      // RFC 3207 §4: after EHLO, outside a transaction, once
      if (phase === 'greeted') return 'send EHLO first';
      if (phase !== 'ready') return 'STARTTLS not allowed during a mail transaction';
      if (state.tls) return 'TLS already active';
      return undefined;
    case 'AUTH':
      // RFC 4954 §4: after EHLO, not during a mail transaction, once per session
      if (phase === 'greeted') return 'send EHLO first';
      if (phase !== 'ready') return 'AUTH not allowed during a mail transaction';
      if (state.authUser !== undefined) return 'already authenticated';
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Lets the command through or throws the reply that refuses it.
 *
 * @throws SmtpReplyError 500 5.5.2 unknown command, 503 5.5.1 bad sequence,
 *   502 5.5.1 STARTTLS without a certificate or AUTH where it is not
 *   offered, 538 5.7.11 AUTH before TLS, 530 5.7.0 MAIL on submission
 *   without AUTH; ClosingReplyError 554 5.7.0 for HTTP requests, 421 4.7.0
 *   for MAIL past the message limit of the connection.
 */
export function admitCommand(state: SessionState, command: SmtpCommand, settings: GateSettings): void {
  if (command.kind === 'UNKNOWN') {
    if (HTTP_VERBS.has(command.verb) && / HTTP\/\d/.test(command.args)) {
      throw new ClosingReplyError(C554TransactionFailed, EsSecurityOther, 'This is an SMTP server, not an HTTP server');
    }
    // RFC 5321 §4.2.4: 500 for an unrecognised command
    throw new SmtpReplyError(C500SyntaxError, EsSyntaxError, 'Command unrecognized');
  }
  // RFC 3207 §4: STARTTLS is only available when it was advertised
  if (command.kind === 'STARTTLS' && !settings.tlsAvailable) {
    throw new SmtpReplyError(C502NotImplemented, EsInvalidCommand, 'STARTTLS not available');
  }
  // RFC 4954 §4: AUTH is only available where it was advertised (never on the inbound listener)
  if (command.kind === 'AUTH' && settings.auth === 'not-offered') {
    throw new SmtpReplyError(C502NotImplemented, EsInvalidCommand, 'AUTH not available');
  }
  const problem = sequenceProblem(command, sessionPhase(state), state);
  if (problem !== undefined) throw badSequence(problem);
  // RFC 4954 §6: 538 5.7.11 Encryption required for requested authentication mechanism
  if (command.kind === 'AUTH' && settings.auth === 'needs-tls') {
    throw new SmtpReplyError(C538EncryptionRequiredForAuth, EsEncryptionRequiredForAuth, 'Encryption required for requested authentication mechanism: issue STARTTLS first');
  }
  if (command.kind === 'MAIL') admitMail(state, settings);
}

function admitMail(state: SessionState, settings: GateSettings): void {
  // RFC 6409 §4.3, RFC 4954 §6: submission requires authentication before MAIL
  if (isSubmissionListener(state.listener) && state.authUser === undefined) {
    throw new SmtpReplyError(C530AuthRequired, EsSecurityOther, 'Authentication required');
  }
  // RFC 5321 §3.8: the server may close with 421; 4.7.0 as a policy limit, temporary (retry on a new connection)
  if (state.messages >= settings.maxMessagesPerConnection) {
    const text = `${settings.hostname} Message limit per connection reached (${settings.maxMessagesPerConnection}), closing connection; reconnect to send more`;
    throw new ClosingReplyError(C421ServiceNotAvailable, EsSecurityOther, text);
  }
}

/**
 * Counts replies the client caused (5xx with userFault) and says when the
 * session has had enough, so one client cannot keep a connection busy with
 * garbage or probe addresses forever.
 */
export class ErrorBudget {
  #errors = 0;

  constructor(private readonly maxErrors: number) {}

  /** Records one client error; true when the limit is reached and the session must close. */
  recordError(): boolean {
    this.#errors += 1;
    return this.#errors >= this.maxErrors;
  }
}
