/**
 * Errors that end a session instead of producing a tagged response.
 * Handlers refuse commands with ImapResponseError (from @mail/imap); these
 * are for the cases where no response can be written any more.
 */

/** The client's connection is gone (closed, reset, or a failed TLS handshake). */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(message = 'connection closed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A FETCH literal was announced with its size (`{n}`) and its octets could
 * not all be sent (the message could not be read to its end). RFC 9051 §4.3
 * gives no way to take a literal back, so the connection is closed: the
 * client sees a truncated response, never a corrupt message presented as complete.
 */
export class ResponseInterruptedError extends Error {
  override readonly name = 'ResponseInterruptedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
