/** Typed failures of a POP3 client session. */

/** The server answered `-ERR` (RFC 1939 §3); `line` is its whole status line. */
export class Pop3ReplyError extends Error {
  override name = 'Pop3ReplyError';
  constructor(
    readonly command: string,
    readonly line: string,
  ) {
    super(`${command}: ${line}`);
  }
}

/** The connection could not be made, broke, was closed, or no response came in time. */
export class Pop3ConnectionError extends Error {
  override name = 'Pop3ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The server broke the response grammar (RFC 1939 §3): no status indicator, or a status line far too long. */
export class Pop3ProtocolError extends Error {
  override name = 'Pop3ProtocolError';
}
