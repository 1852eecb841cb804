// ESMTP parameters on MAIL and RCPT (RFC 5321 §4.1.2) and the xtext
// encoding their values use (RFC 3461 §4), e.g. ORCPT, ENVID, AUTH=.

import { C501ParamSyntax, EsInvalidArguments } from './reply-codes';
import { SmtpReplyError } from './reply';

/** Parameters by uppercased keyword; `true` for a keyword without "=value". */
export type EsmtpParams = Map<string, string | true>;

// RFC 5321 §4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function paramError(text: string): SmtpReplyError {
  return new SmtpReplyError(C501ParamSyntax, EsInvalidArguments, text);
}

/** RFC 5321 §4.1.2: esmtp-value = 1*(%d33-60 / %d62-126), plus UTF8-non-ascii with SMTPUTF8 (RFC 6531 §3.3). */
function checkValue(keyword: string, value: string, utf8: boolean): void {
  if (value === '') throw paramError(`Empty value for parameter ${keyword}`);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) {
      if (!utf8 || c === 0xfffd) throw paramError(`Non-ASCII value for parameter ${keyword} requires SMTPUTF8`);
    } else if (c < 33 || c > 126 || c === 0x3d) {
      throw paramError(`Invalid character in value of parameter ${keyword}`);
    }
  }
}

/**
 * Parse `KEY=value KEY2` (the text after the path of MAIL or RCPT).
 * Keywords are uppercased; values are kept as written (decode xtext where the
 * extension says so). Runs of spaces are tolerated. Throws
 * {@link SmtpReplyError} 501 5.5.4 on bad syntax or a repeated keyword.
 */
export function parseEsmtpParams(text: string, options: { utf8?: boolean } = {}): EsmtpParams {
  const params: EsmtpParams = new Map();
  for (const item of text.split(' ')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const rawKey = eq < 0 ? item : item.slice(0, eq);
    if (!KEYWORD.test(rawKey)) throw paramError(`Invalid parameter keyword ${JSON.stringify(rawKey.slice(0, 32))}`);
    const keyword = rawKey.toUpperCase();
    if (params.has(keyword)) throw paramError(`Duplicate parameter ${keyword}`);
    if (eq < 0) {
      params.set(keyword, true);
    } else {
      const value = item.slice(eq + 1);
      checkValue(keyword, value, options.utf8 ?? false);
      params.set(keyword, value);
    }
  }
  return params;
}

/** RFC 3461 §4: xchar = "!" .. "~" except "+" and "=". */
function isXchar(c: number): boolean {
  return c >= 33 && c <= 126 && c !== 0x2b && c !== 0x3d;
}

/**
 * Decode xtext (RFC 3461 §4): `+XX` is an octet in hex, other xchars stand
 * for themselves; the octets are read as UTF-8. Lower-case hex is accepted
 * (leniency). Throws {@link SmtpReplyError} 501 5.5.4 on malformed input.
 */
export function decodeXtext(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw paramError('Invalid xtext: "+" must be followed by two hex digits');
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (isXchar(c)) {
      bytes.push(c);
    } else {
      throw paramError('Invalid character in xtext');
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Encode text as xtext (RFC 3461 §4): UTF-8 octets outside xchar become `+XX`. */
export function encodeXtext(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    out += isXchar(b) ? String.fromCharCode(b) : `+${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
