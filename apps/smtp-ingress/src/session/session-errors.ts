/**
 * Errors of the session layer that are not replies: the connection went away
 * (nothing more can be written), and a refusal after which the session must
 * close (the reply is written, then the connection is closed).
 */
import { SmtpReplyError, type SmtpReplyErrorOptions } from '@mail/smtp';

/** The peer closed the connection, or a write or the TLS handshake failed. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  constructor(message = 'connection closed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The client sent octets on an implicit-TLS listener that did not make a TLS handshake (not TLS, a protocol the server refuses, too slow). */
export class TlsHandshakeError extends ConnectionClosedError {
  override name = 'TlsHandshakeError';
}

/**
 * A refusal after which the connection is closed: 421 (RFC 5321 §3.8) or a
 * protocol violation the session cannot recover from (an unreadable BDAT
 * size, HTTP spoken to the SMTP port).
 */
export class ClosingReplyError extends SmtpReplyError {
  override name = 'ClosingReplyError';
  constructor(code: number, enhanced: string | undefined, text: string, options: SmtpReplyErrorOptions = {}) {
    super(code, enhanced, text, options);
  }
}
