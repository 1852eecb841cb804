// POP3 status lines: the one place where `+OK` and `-ERR` replies are
// serialized, the named extended response codes, and the typed error that
// handlers throw so the session can turn it into a reply in one place.
//
// Only the first line of a reply is built here; multi-line bodies are framed
// by multiline.ts.

/**
 * Extended response codes a server may put in brackets after `-ERR`.
 *
 * RFC 2449 §8: a response code is placed in square brackets immediately after
 * the status indicator; servers that advertise RESP-CODES send them.
 */
export const Pop3ResponseCode = {
  /** RFC 2449 §8.1.2: authentication succeeded but the maildrop is locked by another session. */
  InUse: 'IN-USE',
  /** RFC 2449 §8.1.1: the user logged in too recently (see the LOGIN-DELAY capability). */
  LoginDelay: 'LOGIN-DELAY',
  /** RFC 3206 §5: the failure is caused by the user's credentials. */
  Auth: 'AUTH',
  /** RFC 3206 §4: a system failure that is probably temporary; the client may retry later. */
  SysTemp: 'SYS/TEMP',
  /** RFC 3206 §4: a system failure that needs an administrator. */
  SysPerm: 'SYS/PERM',
} as const;

/** One of the extended response codes in {@link Pop3ResponseCode}. */
export type Pop3ResponseCode = (typeof Pop3ResponseCode)[keyof typeof Pop3ResponseCode];

/** RFC 2449 §4: the first line of a response, CRLF included, is at most 512 octets. */
export const MAX_POP3_RESPONSE_LINE = 512;

/** The two status indicators of RFC 1939 §3. */
export type Pop3Status = '+OK' | '-ERR';

const CRLF = '\r\n';

/**
 * Serializes one POP3 status line, CRLF included: every reply's first line
 * goes through here.
 *
 * The text is made safe rather than rejected, because it often carries
 * details from elsewhere and a reply must never fail to be written:
 * control characters (CR and LF above all, which would let the text inject a
 * second reply) become spaces, and text that would push the line past
 * {@link MAX_POP3_RESPONSE_LINE} octets is cut at a character boundary.
 *
 * @param status `+OK` or `-ERR` (RFC 1939 §3).
 * @param text Optional human-readable text after the indicator.
 * @param code Optional extended response code, for `-ERR` replies (RFC 2449 §8).
 * @returns The exact line to write, e.g. `-ERR [IN-USE] maildrop locked\r\n`.
 */
export function formatStatusLine(status: Pop3Status, text?: string, code?: Pop3ResponseCode): string {
  // RFC 2449 §8: the code comes first, in brackets, right after the indicator.
  const head = code === undefined ? status : `${status} [${code}]`;
  const safeText = text === undefined ? '' : sanitizeText(text);
  if (safeText === '') return head + CRLF;
  // RFC 2449 §4: 512 octets including CRLF; the separating space counts too.
  const budget = MAX_POP3_RESPONSE_LINE - Buffer.byteLength(head) - 1 - CRLF.length;
  return `${head} ${truncateToOctets(safeText, budget)}${CRLF}`;
}

/**
 * A positive reply line: `+OK text\r\n`, or `+OK\r\n` without text.
 *
 * RFC 1939 §3: a positive response is `+OK`, optionally followed by text.
 */
export function ok(text?: string): string {
  return formatStatusLine('+OK', text);
}

/**
 * A negative reply line: `-ERR text\r\n`, or `-ERR [CODE] text\r\n` when a
 * response code is given (RFC 1939 §3, RFC 2449 §8).
 */
export function err(text: string, code?: Pop3ResponseCode): string {
  return formatStatusLine('-ERR', text, code);
}

/** Options of {@link Pop3ResponseError}. */
export interface Pop3ResponseErrorOptions {
  /** Extended response code to put in the reply (RFC 2449 §8). */
  readonly responseCode?: Pop3ResponseCode;
  /**
   * Whether the client caused the failure (bad syntax, wrong password) as
   * opposed to the server (storage down). Defaults to `false` for the
   * `SYS/*` codes and `true` otherwise.
   */
  readonly userFault?: boolean;
  /** The underlying error, for the log only; never sent to the client. */
  readonly cause?: unknown;
}

/**
 * A rejection that carries its own `-ERR` reply.
 *
 * Handlers (and this library's parsers) throw it; the session catches it
 * once, writes {@link Pop3ResponseError.toResponse} and logs `cause`.
 * `text` is public: it goes to the client, so it must not contain secrets.
 */
export class Pop3ResponseError extends Error {
  override readonly name = 'Pop3ResponseError';
  /** Public text of the `-ERR` reply. */
  readonly text: string;
  /** Extended response code of the reply, if any. */
  readonly responseCode: Pop3ResponseCode | undefined;
  /** True when the client is at fault; drives logging level and abuse counters. */
  readonly userFault: boolean;

  constructor(text: string, options: Pop3ResponseErrorOptions = {}) {
    super(text, options.cause === undefined ? undefined : { cause: options.cause });
    this.text = text;
    this.responseCode = options.responseCode;
    this.userFault = options.userFault ?? !isSystemCode(options.responseCode);
  }

  /** The exact reply line for this error: `-ERR [CODE] text\r\n`. */
  toResponse(): string {
    return err(this.text, this.responseCode);
  }
}

function isSystemCode(code: Pop3ResponseCode | undefined): boolean {
  return code === Pop3ResponseCode.SysTemp || code === Pop3ResponseCode.SysPerm;
}

// C0 controls and DEL. RFC 1939 §3 responses are printable text ending in CRLF.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

function sanitizeText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ');
}

/** Cuts `text` so its UTF-8 encoding fits in `maxOctets`, never inside a character. */
function truncateToOctets(text: string, maxOctets: number): string {
  if (Buffer.byteLength(text) <= maxOctets) return text;
  let octets = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (octets + size > maxOctets) break;
    octets += size;
    end += char.length;
  }
  return text.slice(0, end);
}
