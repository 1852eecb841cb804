// Strings on the server's side of the wire (RFC 9051 §4.3): the encoder
// chooses an atom, a quoted string or a literal so that any value is sent
// safely — never a quoted string holding CR, LF or NUL, never 8-bit octets in
// a quoted string to a client that has not enabled IMAP4rev2 or UTF8=ACCEPT
// (RFC 3501 §4.3: quoted strings are 7-bit), and never a NUL outside literal8.
// WireWriter gathers the pieces of one response into buffers.

/** Whether the client may receive UTF-8 in quoted strings (IMAP4rev2 or UTF8=ACCEPT enabled, RFC 9051 §4.3, RFC 6855 §3). */
export interface WireStringOptions {
  readonly utf8: boolean;
}

/** Longest value sent as a quoted string; longer ones go as literals, which need no escaping. */
export const MAX_QUOTED_STRING = 1024;

// RFC 9051 §9: atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
const ATOM_SPECIALS = new Set([0x28, 0x29, 0x7b, 0x20, 0x25, 0x2a, 0x22, 0x5c, 0x5d]);

/** RFC 9051 §9: ATOM-CHAR = <any CHAR except atom-specials>; CHAR is %x01-7F. */
export function isAtomChar(octet: number): boolean {
  return octet > 0x1f && octet < 0x7f && !ATOM_SPECIALS.has(octet);
}

/** RFC 9051 §9: ASTRING-CHAR = ATOM-CHAR / resp-specials ("]"). */
export function isAstringChar(octet: number): boolean {
  return octet === 0x5d || isAtomChar(octet);
}

/** True when `text` is a non-empty atom (RFC 9051 §9: atom = 1*ATOM-CHAR). */
export function isAtom(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isAtomChar(text.charCodeAt(i))) return false;
  return true;
}

function canQuote(octets: Buffer, options: WireStringOptions): boolean {
  if (octets.length > MAX_QUOTED_STRING) return false;
  for (const octet of octets) {
    // RFC 9051 §4.3: a quoted string cannot carry CR or LF (nor NUL, which no string may carry)
    if (octet === 0x00 || octet === 0x0a || octet === 0x0d) return false;
    // RFC 3501 §9: QUOTED-CHAR is 7-bit; RFC 9051 §9 adds UTF8-2/3/4
    if (octet > 0x7f && !options.utf8) return false;
  }
  // RFC 9051 §9: only valid UTF-8 sequences may appear in a quoted string
  return !options.utf8 || octets.every((o) => o < 0x80) || Buffer.from(octets.toString('utf8'), 'utf8').equals(octets);
}

function quote(octets: Buffer): Buffer {
  // RFC 9051 §9: quoted-specials (DQUOTE and backslash) are escaped with a backslash
  if (!octets.includes(0x22) && !octets.includes(0x5c)) return Buffer.concat([QUOTE, octets, QUOTE]);
  const out: number[] = [0x22];
  for (const octet of octets) {
    if (octet === 0x22 || octet === 0x5c) out.push(0x5c);
    out.push(octet);
  }
  out.push(0x22);
  return Buffer.from(out);
}

const QUOTE = Buffer.from('"');

/** The octets of a value; NUL, which no IMAP string (literal8 aside) may carry, is dropped (RFC 9051 §4.3: CHAR8 excludes NUL). */
function octetsOf(value: string | Uint8Array): Buffer {
  const octets = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return octets.includes(0) ? Buffer.from(octets.filter((o) => o !== 0)) : octets;
}

/** A literal as the server sends it: `{n}` CRLF octets (RFC 9051 §4.3; servers never send the `+` form). */
export function formatLiteral(octets: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`{${octets.byteLength}}\r\n`), octets]);
}

/** A string value (RFC 9051 §9 `string`): quoted when safe, otherwise a literal. */
export function formatString(value: string | Uint8Array, options: WireStringOptions): Buffer {
  const octets = octetsOf(value);
  return canQuote(octets, options) ? quote(octets) : formatLiteral(octets);
}

/** An nstring (RFC 9051 §9): NIL for null/undefined, else {@link formatString}. */
export function formatNstring(value: string | Uint8Array | null | undefined, options: WireStringOptions): Buffer {
  return value === null || value === undefined ? Buffer.from('NIL') : formatString(value, options);
}

/** An astring (RFC 9051 §9): a bare atom when it is one (and not NIL, which would read as nil), else {@link formatString}. */
export function formatAstring(value: string, options: WireStringOptions): Buffer {
  let bare = value.length > 0 && value.toUpperCase() !== 'NIL';
  for (let i = 0; bare && i < value.length; i++) bare = isAstringChar(value.charCodeAt(i));
  return bare ? Buffer.from(value, 'latin1') : formatString(value, options);
}

/** An atom when possible, else a quoted string of the 7-bit text (for charset names and similar short tokens). */
export function formatAtomOrQuoted(value: string): string {
  return isAtom(value) ? value : formatString(value, { utf8: false }).toString('latin1');
}

/**
 * Builds one response from text and string values; `toBuffer()` joins them.
 * Values go through the string rules above; `raw` appends protocol text
 * that the caller has made safe.
 */
export class WireWriter {
  readonly #pieces: Buffer[] = [];
  #length = 0;

  constructor(readonly options: WireStringOptions) {}

  /** Protocol text (keywords, numbers, parentheses) as is. */
  raw(text: string | Buffer): this {
    const piece = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    this.#pieces.push(piece);
    this.#length += piece.length;
    return this;
  }

  string(value: string | Uint8Array): this {
    return this.raw(formatString(value, this.options));
  }

  nstring(value: string | Uint8Array | null | undefined): this {
    return this.raw(formatNstring(value, this.options));
  }

  astring(value: string): this {
    return this.raw(formatAstring(value, this.options));
  }

  /** Octets written so far. */
  get length(): number {
    return this.#length;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#pieces, this.#length);
  }
}
