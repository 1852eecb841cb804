// The one reply serializer (RFC 5321 §4.2) and the typed error that carries
// a reply from a handler to the session, which catches it once and writes it.

/** A parsed or to-be-written SMTP reply. `enhanced` is the full "c.s.d" form. */
export interface SmtpReply {
  code: number;
  enhanced?: string;
  lines: string[];
}

/** RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets including the code and CRLF. */
export const MAX_REPLY_LINE = 512;

// RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39
const REPLY_CODE = /^[2-5][0-5][0-9]$/;
// RFC 3463 §2: class "." subject "." detail, subject and detail 1*3digit
const ENHANCED_FULL = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
const ENHANCED_SUBJECT_DETAIL = /^\d{1,3}\.\d{1,3}$/;
// RFC 5321 §4.2: textstring = 1*(%d09 / %d32-126); other controls are replaced
// so that no caller-supplied text can inject a line. UTF-8 is left alone (RFC 6531).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
// A text with nothing to split or replace: TAB and printable ASCII only
const PRINTABLE_ASCII = /^[\t\x20-\x7e]*$/;

/**
 * Normalise an enhanced status code for a reply: "s.d" gets the class from
 * `code`; "c.s.d" must agree with it (RFC 2034 §4). Throws TypeError on misuse,
 * which is a programming error, never a client's.
 */
export function normalizeEnhanced(code: number, enhanced: string | undefined): string | undefined {
  if (enhanced === undefined || enhanced === '') return undefined;
  const cls = String(Math.floor(code / 100));
  // RFC 2034 §4: only 2xx, 4xx and 5xx replies carry an enhanced code.
  if (cls !== '2' && cls !== '4' && cls !== '5') {
    throw new TypeError(`enhanced status code not allowed with reply ${code}`);
  }
  if (ENHANCED_SUBJECT_DETAIL.test(enhanced)) return `${cls}.${enhanced}`;
  const m = ENHANCED_FULL.exec(enhanced);
  if (!m) throw new TypeError(`invalid enhanced status code "${enhanced}"`);
  if (m[1] !== cls) throw new TypeError(`enhanced status ${enhanced} does not agree with reply ${code}`);
  return enhanced;
}

function assertReplyCode(code: number): void {
  if (!Number.isInteger(code) || !REPLY_CODE.test(String(code))) {
    throw new TypeError(`invalid SMTP reply code ${code}`);
  }
}

/** Split one logical line so each wire line fits in `budget` octets (never inside a code point). */
function splitToOctets(line: string, budget: number): string[] {
  if (Buffer.byteLength(line) <= budget) return [line];
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (size + n > budget) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts;
}

/**
 * Serialize a reply to its exact wire form, every line ending in CRLF.
 *
 * - `text` may be one string or several lines; embedded CR/LF split lines,
 *   other control characters become "?" (no reply injection).
 * - Multi-line replies use `code-` on all lines but the last (RFC 5321 §4.2.1).
 * - With `enhanced` ("s.d" or "c.s.d"), every line starts with the full code
 *   (RFC 2034 §4). Leave it undefined for the 220 greeting and HELO/EHLO
 *   replies (RFC 2034 §3) and for 3xx replies.
 * - Lines longer than 512 octets are continued on further lines (RFC 5321 §4.5.3.1.5).
 */
export function formatReply(code: number, enhanced: string | undefined, text: string | string[]): string {
  assertReplyCode(code);
  const enh = normalizeEnhanced(code, enhanced);
  const prefix = 4 + (enh === undefined ? 0 : enh.length + 1);
  const budget = MAX_REPLY_LINE - prefix - 2;
  // Most replies: one line of printable ASCII (one octet per character) that fits: nothing to split or replace
  if (typeof text === 'string' && text !== '' && text.length <= budget && PRINTABLE_ASCII.test(text)) {
    return enh === undefined ? `${code} ${text}\r\n` : `${code} ${enh} ${text}\r\n`;
  }
  const logical = (Array.isArray(text) ? text : [text]).flatMap((t) => t.split(/\r\n|\r|\n/));
  const lines = logical.map((l) => l.replace(CONTROL, '?')).flatMap((l) => splitToOctets(l, budget));
  if (lines.length === 0) lines.push('');
  let out = '';
  lines.forEach((line, i) => {
    const body = enh === undefined ? line : line === '' ? enh : `${enh} ${line}`;
    const last = i === lines.length - 1;
    if (last) out += body === '' ? `${code}\r\n` : `${code} ${body}\r\n`;
    else out += `${code}-${body}\r\n`;
  });
  return out;
}

/** Options for {@link SmtpReplyError}. */
export interface SmtpReplyErrorOptions {
  /** The underlying error, for the log only; never sent to the client. */
  cause?: unknown;
  /** Whether the client caused this (bad syntax, policy) rather than us. Default: code is 5xx. */
  userFault?: boolean;
}

/**
 * A rejection carrying the reply to send. Handlers throw it; the session
 * catches it once, logs `cause`, and writes `toWire()`. `text` is public:
 * it goes to the client, so never put secrets or internals in it.
 */
export class SmtpReplyError extends Error {
  override name = 'SmtpReplyError';
  /** Reply code, e.g. 550. */
  readonly code: number;
  /** Full enhanced status code ("5.1.1"), or undefined. */
  readonly enhanced: string | undefined;
  /** Public reply text, one string or several lines. */
  readonly text: string | string[];
  /** True when the client is at fault (counts towards abuse limits). */
  readonly userFault: boolean;

  constructor(code: number, enhanced: string | undefined, text: string | string[], options: SmtpReplyErrorOptions = {}) {
    assertReplyCode(code);
    const enh = normalizeEnhanced(code, enhanced);
    const shown = Array.isArray(text) ? text.join(' / ') : text;
    super(enh === undefined ? `${code} ${shown}` : `${code} ${enh} ${shown}`, { cause: options.cause });
    this.code = code;
    this.enhanced = enh;
    this.text = text;
    this.userFault = options.userFault ?? code >= 500;
  }

  /** The reply as data. */
  get reply(): SmtpReply {
    const lines = Array.isArray(this.text) ? [...this.text] : [this.text];
    return this.enhanced === undefined ? { code: this.code, lines } : { code: this.code, enhanced: this.enhanced, lines };
  }

  /** The reply's exact wire bytes (see {@link formatReply}). */
  toWire(): string {
    return formatReply(this.code, this.enhanced, this.text);
  }
}
