// Mailbox names: INBOX is case-insensitive (RFC 9051 §5.1), IMAP4rev1
// clients exchange names in modified UTF-7 (RFC 3501 §5.1.3) while IMAP4rev2
// and UTF8=ACCEPT clients use UTF-8 (RFC 9051 §5.1, RFC 6855 §3), and LIST
// patterns use the wildcards `*` and `%` (RFC 9051 §6.3.9).

import { ImapResponseError } from './response-error';

/** How names travel for this client. */
export interface MailboxNameOptions {
  /** True for IMAP4rev2 / UTF8=ACCEPT (UTF-8 names), false for IMAP4rev1 (modified UTF-7). */
  readonly utf8: boolean;
  /** The hierarchy delimiter; `inbox<delim>x` is then written `INBOX<delim>x`. */
  readonly delimiter?: string;
}

// RFC 3501 §5.1.3: modified BASE64 is RFC 2045 base64 with "," instead of "/" and no padding
const MODIFIED_BASE64 = /^[A-Za-z0-9+,]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Decodes a modified UTF-7 name (RFC 3501 §5.1.3). Strict: "&" starts a
 * shift that must end with "-"; "&-" is "&"; the shifted text must be whole
 * UTF-16 code units, with zero padding bits, and must not encode printable
 * US-ASCII (which represents itself).
 *
 * @throws ImapResponseError BAD when the name is not valid modified UTF-7.
 */
export function decodeModifiedUtf7(name: string): string {
  let out = '';
  for (let i = 0; i < name.length;) {
    const c = name.charCodeAt(i);
    // RFC 3501 §5.1.3: printable US-ASCII except "&" represents itself
    if (c < 0x20 || c > 0x7e) throw invalid(name);
    if (c !== 0x26) {
      out += name[i];
      i++;
      continue;
    }
    const dash = name.indexOf('-', i + 1);
    if (dash < 0) throw invalid(name);
    const shifted = name.slice(i + 1, dash);
    i = dash + 1;
    if (shifted === '') {
      out += '&';
      continue;
    }
    if (!MODIFIED_BASE64.test(shifted) || shifted.length % 4 === 1) throw invalid(name);
    const bytes = Buffer.from(shifted.replaceAll(',', '/'), 'base64');
    // whole UTF-16 units only, and the unused bits of the last sextet are zero
    if (bytes.length % 2 !== 0 || Buffer.from(bytes).toString('base64').replace(/=+$/, '').replaceAll('/', ',') !== shifted) throw invalid(name);
    const decoded = bytes.swap16().toString('utf16le');
    for (let k = 0; k < decoded.length; k++) {
      const u = decoded.charCodeAt(k);
      if (u >= 0x20 && u <= 0x7e) throw invalid(name);
    }
    out += decoded;
  }
  // the UTF-16 must be well formed: no unpaired surrogate
  if (LONE_SURROGATE.test(out)) throw invalid(name);
  return out;
}

/** Encodes a name as modified UTF-7 (RFC 3501 §5.1.3). */
export function encodeModifiedUtf7(name: string): string {
  let out = '';
  for (let i = 0; i < name.length;) {
    const c = name.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      out += c === 0x26 ? '&-' : name[i];
      i++;
      continue;
    }
    let j = i;
    while (j < name.length && (name.charCodeAt(j) < 0x20 || name.charCodeAt(j) > 0x7e)) j++;
    const utf16be = Buffer.from(name.slice(i, j), 'utf16le').swap16();
    out += `&${utf16be.toString('base64').replace(/=+$/, '').replaceAll('/', ',')}-`;
    i = j;
  }
  return out;
}

function invalid(name: string): ImapResponseError {
  return new ImapResponseError('BAD', `Mailbox name ${JSON.stringify(name.slice(0, 100))} is not valid modified UTF-7`, { userFault: true });
}

/**
 * RFC 9051 §5.1: "INBOX" in any case is the inbox; with a delimiter, so is
 * the prefix of its children (as Dovecot and Cyrus do).
 */
export function normalizeInbox(name: string, delimiter?: string): string {
  if (name.length < 5 || name.slice(0, 5).toUpperCase() !== 'INBOX') return name;
  if (name.length === 5) return 'INBOX';
  if (delimiter !== undefined && delimiter !== '' && name.startsWith(delimiter, 5)) return `INBOX${name.slice(5)}`;
  return name;
}

/** A mailbox name from a command, as the client encoded it, to its Unicode form with INBOX normalized. */
export function decodeMailboxName(octets: string, options: MailboxNameOptions): string {
  const name = options.utf8 ? octets : decodeModifiedUtf7(octets);
  return normalizeInbox(name, options.delimiter);
}

/** A mailbox name for a response, in the client's encoding (to be written as an astring). */
export function encodeMailboxName(name: string, options: MailboxNameOptions): string {
  return options.utf8 ? name : encodeModifiedUtf7(name);
}

/**
 * A matcher for a LIST/LSUB reference and pattern (RFC 9051 §6.3.9): the
 * reference is prefixed to the pattern; `*` matches anything, `%` anything but
 * the delimiter; INBOX matches case-insensitively. Dynamic programming over
 * name and pattern, so hostile patterns such as `*a*a*a*...` cost
 * O(name × pattern), never exponential time.
 */
export function listPatternMatcher(reference: string, pattern: string, delimiter: string): (name: string) => boolean {
  // A run of wildcards matches what one does (`%%` as `%`; with a `*`, as `*`): the pattern's length is then bounded by its other characters
  const full = normalizeInbox(reference + pattern, delimiter).replace(/[*%]+/g, (run) => (run.includes('*') ? '*' : '%'));
  return (name: string): boolean => globMatch(normalizeInbox(name, delimiter), full, delimiter);
}

function globMatch(name: string, pattern: string, delimiter: string): boolean {
  // row[j]: pattern[0..j) matches name[0..i)
  let row = new Uint8Array(pattern.length + 1);
  row[0] = 1;
  for (let j = 1; j <= pattern.length && (pattern[j - 1] === '*' || pattern[j - 1] === '%'); j++) row[j] = 1;
  for (let i = 1; i <= name.length; i++) {
    const next = new Uint8Array(pattern.length + 1);
    const ch = name[i - 1] as string;
    for (let j = 1; j <= pattern.length; j++) {
      const p = pattern[j - 1];
      if (p === '*') next[j] = next[j - 1] || row[j] ? 1 : 0;
      else if (p === '%') next[j] = next[j - 1] || (row[j] && ch !== delimiter) ? 1 : 0;
      else next[j] = row[j - 1] && p === ch ? 1 : 0;
    }
    row = next;
  }
  return row[pattern.length] === 1;
}
