/**
 * @mail/smtp-client — the one SMTP client of the workspace, over
 * @mail/smtp's socket-free grammar: a connection with RFC 5321 §4.5.3.2
 * time limits and backpressure, a session (greeting, EHLO or HELO,
 * STARTTLS or implicit TLS, AUTH PLAIN or LOGIN, RSET, QUIT), a pool that reuses idle sessions, and
 * the mail transaction (MAIL, RCPT with PIPELINING, DATA with dot-stuffing,
 * DSN, SIZE, 8BITMIME and SMTPUTF8 checks). apps/outbound-relay delivers
 * with it; the bench, the crash matrix and the end-to-end tests send with it.
 *
 * A test that sends raw bytes on purpose (bad input, smuggling, pipelining
 * abuse) uses @mail/testing's LineClient instead: this client only speaks
 * correct SMTP.
 */
export { SmtpConnection, describeTarget, type SmtpTarget, type TlsFacts } from './connection';
export { MessageContentError, replyText, SmtpAuthUnavailableError, SmtpConnectionError, SmtpSessionRefusedError, SmtpTimeoutError, SmtpTlsError } from './errors';
export { openSession, rfc5321Timeouts, SmtpSession, type SessionOptions, type SmtpCredentials, type SmtpTimeouts } from './session';
export { SessionPool, type SessionPoolOptions } from './session-pool';
export { localRefusal, mailParams, messageRequest, rcptParams, runTransaction, type DsnRequest, type TransactionReplies, type TransactionRequest } from './transaction';
export { transactionOutcome, type RefusedStage, type TransactionOutcome } from './transaction-outcome';
