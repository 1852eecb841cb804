/**
 * Errors that end a session instead of producing an `-ERR` reply. Handlers
 * refuse commands with Pop3ResponseError (from @mail/pop3); these two are for
 * the cases where no reply can be written any more.
 */

/** The client's connection is gone (closed, reset, or a failed TLS handshake). */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(message = 'connection closed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A multi-line response was started with `+OK` and cannot be completed (the
 * message could not be read to its end). RFC 1939 §3 gives no way to take a
 * `+OK` back, so the session must close the connection: the client then sees
 * a truncated response without its terminating line, never a corrupt message
 * presented as complete.
 */
export class ResponseInterruptedError extends Error {
  override readonly name = 'ResponseInterruptedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
