/**
 * Typed failures of an SMTP client session. All of them mean "this server,
 * at this address, cannot take the message now": a relay tries the next
 * address or MX host (RFC 5321 §5.1) and, when none works, retries later.
 */
import type { SmtpReply } from '@mail/smtp';

/** The TCP connection could not be made, or broke, or the server closed it. */
export class SmtpConnectionError extends Error {
  override name = 'SmtpConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No reply, or no progress writing, within the RFC 5321 §4.5.3.2 time limit. */
export class SmtpTimeoutError extends SmtpConnectionError {
  override name = 'SmtpTimeoutError';
}

/**
 * TLS could not be had: the handshake failed, or the destination requires
 * TLS (SmtpTarget.requireTls) and the server does not offer it or its
 * certificate is not valid. Temporary, like any session failure.
 */
export class SmtpTlsError extends SmtpConnectionError {
  override name = 'SmtpTlsError';
}

/** A reply as one line of text, the way logs and error messages show it: `550 5.1.1 No such user here`. */
export function replyText(reply: SmtpReply): string {
  const text = reply.lines.join(' ').trim();
  return [String(reply.code), reply.enhanced, text].filter((part) => part !== undefined && part !== '').join(' ');
}

/** The server refused the session: a greeting other than 220, EHLO and HELO both refused, or AUTH refused. */
export class SmtpSessionRefusedError extends Error {
  override name = 'SmtpSessionRefusedError';
  constructor(
    readonly stage: 'greeting' | 'hello' | 'auth',
    readonly reply: SmtpReply,
  ) {
    super(`${stage} refused: ${replyText(reply)}`);
  }
}

/**
 * Credentials were configured and the server offers no SASL mechanism the
 * client speaks (RFC 4954 §3: AUTH and its mechanisms are listed in the EHLO
 * reply): nothing was sent. Temporary, like any session failure.
 */
export class SmtpAuthUnavailableError extends Error {
  override name = 'SmtpAuthUnavailableError';
  constructor(message: string) {
    super(message);
  }
}

/** Reading the message to send failed (e.g. the body is missing from the object store): our fault, not the server's. */
export class MessageContentError extends Error {
  override name = 'MessageContentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
