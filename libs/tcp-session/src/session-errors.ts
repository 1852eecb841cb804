/**
 * Errors that end a session instead of producing a reply. Handlers refuse
 * commands with their protocol's error (Pop3ResponseError of @mail/pop3,
 * ImapResponseError of @mail/imap); these two are for the cases where no
 * reply can be written any more.
 */

/** The client's connection is gone (closed, reset, or a failed TLS handshake). */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(message = 'connection closed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A response announced as complete cannot be completed (the message could
 * not be read to its end), so the session must close the connection: the
 * client then sees a truncated response, never a corrupt message presented
 * as complete. POP3: a multi-line response started with `+OK` (RFC 1939 §3
 * gives no way to take a `+OK` back; the terminating line never comes).
 * IMAP: a FETCH literal announced with its size `{n}` (RFC 9051 §4.3 gives
 * no way to take a literal back).
 */
export class ResponseInterruptedError extends Error {
  override readonly name = 'ResponseInterruptedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
