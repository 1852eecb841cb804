// The typed error every IMAP refusal travels in: the framing, the parser and
// the session's handlers throw it, and the session turns it into one response
// line in one place (response-encoder.ts formatStatusResponse).

import type { ResponseCode } from './response-codes';

/**
 * The status of a refusal. RFC 9051 §7.1.2 NO: the command failed (an
 * operational error); §7.1.3 BAD: the command was not understood or its
 * arguments were invalid (a protocol error from the client); §7.1.5 BYE: the
 * server is closing the connection.
 */
export type ImapRefusalStatus = 'NO' | 'BAD' | 'BYE';

/** Options of {@link ImapResponseError}. */
export interface ImapResponseErrorOptions {
  /** The response code in brackets (RFC 9051 §7.1). */
  readonly code?: ResponseCode;
  /** The tag of the refused command, when it could be read; absent means an untagged response (RFC 9051 §7.1.3: untagged BAD when the tag is unknown). */
  readonly tag?: string;
  /** The connection must be closed after the response (the input can no longer be framed safely). */
  readonly closeConnection?: boolean;
  /** True when the client caused it (bad syntax, limits); false for a server failure. Defaults to true for BAD, false otherwise. */
  readonly userFault?: boolean;
  readonly cause?: unknown;
}

/**
 * A refusal carrying its response: status, optional response code, public
 * text (never a secret, never a stack), the tag when known, and whether the
 * connection must be closed afterwards.
 */
export class ImapResponseError extends Error {
  override readonly name = 'ImapResponseError';
  readonly status: ImapRefusalStatus;
  readonly code: ResponseCode | undefined;
  readonly tag: string | undefined;
  readonly closeConnection: boolean;
  readonly userFault: boolean;
  /** The human-readable text of the response. */
  readonly text: string;

  constructor(status: ImapRefusalStatus, text: string, options: ImapResponseErrorOptions = {}) {
    super(
      `${status}${options.code === undefined ? '' : ` [${typeof options.code === 'string' ? options.code : options.code.kind}]`} ${text}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.status = status;
    this.text = text;
    this.code = options.code;
    this.tag = options.tag;
    this.closeConnection = options.closeConnection ?? status === 'BYE';
    this.userFault = options.userFault ?? status === 'BAD';
  }

  /** The same refusal for the command tagged `tag` (the parser learns the tag before it fails). */
  withTag(tag: string): ImapResponseError {
    if (this.tag === tag) return this;
    return new ImapResponseError(this.status, this.text, { code: this.code, tag, closeConnection: this.closeConnection, userFault: this.userFault, cause: this.cause });
  }
}

/** A BAD refusal for a syntax error in the client's command (RFC 9051 §7.1.3). */
export function syntaxError(text: string, tag?: string, code?: ResponseCode): ImapResponseError {
  return new ImapResponseError('BAD', text, { userFault: true, ...(tag === undefined ? {} : { tag }), ...(code === undefined ? {} : { code }) });
}
