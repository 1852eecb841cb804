// RFC 5321 §4.1.2 Path and Mailbox grammar: <>, <local@domain>, source
// routes, quoted local parts, address literals, and UTF-8 with SMTPUTF8
// (RFC 6531 §3.3). Lengths per RFC 5321 §4.5.3.1.

import { domainProblem, parseAddressLiteral } from './domain';
import { EsBadDestSyntax, EsBadSenderSyntax, EsNonAsciiAddress, C501ParamSyntax, C553MailboxNameNotAllowed } from './reply-codes';
import { SmtpReplyError } from './reply';

/** A mailbox from a path. */
export interface Mailbox {
  /** Local part, unquoted: `"a b"` gives `a b`, `"a\"b"` gives `a"b`. */
  local: string;
  /** Domain as written (not lowercased): host name or literal with brackets. Empty only for `<Postmaster>`. */
  domain: string;
  /** `local@domain` exactly as written (quotes kept), without source route or brackets. */
  address: string;
  /** Source-route domains from `<@a,@b:user@c>` (RFC 5321 §4.1.2 A-d-l), else empty. */
  sourceRoute: string[];
  /** The local part was a Quoted-string. */
  quoted: boolean;
}

/** A reverse-path: a mailbox, or `null` for the null path `<>` (RFC 5321 §4.5.5). */
export type ReversePath = Mailbox | null;
/** A forward-path. `<Postmaster>` gives local "Postmaster" and domain "" (RFC 5321 §4.1.1.3). */
export type ForwardPath = Mailbox;

/** Options for address parsing. */
export interface PathOptions {
  /** SMTPUTF8 was given (RFC 6531 §3.4): allow UTF-8 in local part and domain. */
  utf8: boolean;
}

/** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
export const MAX_LOCAL_PART_OCTETS = 64;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the brackets. */
export const MAX_PATH_OCTETS = 256;

/** A malformed address; `kind` tells syntax from UTF-8-without-SMTPUTF8. */
export class AddressSyntaxError extends Error {
  override name = 'AddressSyntaxError';
  constructor(
    readonly kind: 'syntax' | 'non-ascii',
    readonly reason: string,
  ) {
    super(reason);
  }
}

const syntax = (reason: string): AddressSyntaxError => new AddressSyntaxError('syntax', reason);
const nonAscii = (what: string): AddressSyntaxError => new AddressSyntaxError('non-ascii', `non-ASCII ${what} requires SMTPUTF8`);

// RFC 5322 §3.2.3: atext = ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~"
const ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
function isAtext(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || ATEXT_SPECIALS.includes(String.fromCharCode(c));
}

/** Check a non-ASCII code unit: allowed only with SMTPUTF8 and never U+FFFD (a decoding error). */
function checkNonAscii(c: number, utf8: boolean, what: string): void {
  if (c === 0xfffd) throw syntax(`invalid UTF-8 in ${what}`);
  if (!utf8) throw nonAscii(what);
}

/** Scan a Quoted-string starting at `i` (the DQUOTE). Returns decoded value and end index. */
function scanQuoted(text: string, i: number, utf8: boolean): { value: string; end: number } {
  let value = '';
  let j = i + 1;
  for (;;) {
    const c = text.charCodeAt(j);
    if (Number.isNaN(c)) throw syntax('unterminated quoted local part');
    if (c === 0x22) return { value, end: j + 1 };
    if (c === 0x5c) {
      // RFC 5321 §4.1.2: quoted-pairSMTP = %d92 %d32-126
      const q = text.charCodeAt(j + 1);
      if (q >= 0x80) checkNonAscii(q, utf8, 'local part');
      else if (!(q >= 0x20 && q <= 0x7e)) throw syntax('invalid quoted-pair in local part');
      value += text[j + 1];
      j += 2;
      continue;
    }
    // RFC 5321 §4.1.2: qtextSMTP = %d32-33 / %d35-91 / %d93-126 (+ UTF-8, RFC 6531 §3.3)
    if (c >= 0x80) checkNonAscii(c, utf8, 'local part');
    else if (c < 0x20 || c > 0x7e) throw syntax('control character in quoted local part');
    value += text[j];
    j++;
  }
}

/** Check a Dot-string local part (RFC 5321 §4.1.2: Atom *("." Atom)). */
function checkDotString(local: string, utf8: boolean): void {
  if (local === '') throw syntax('empty local part');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) throw syntax('empty atom in local part (misplaced ".")');
  for (let i = 0; i < local.length; i++) {
    const c = local.charCodeAt(i);
    if (c === 0x2e || isAtext(c)) continue;
    if (c >= 0x80) checkNonAscii(c, utf8, 'local part');
    else throw syntax(`invalid character ${JSON.stringify(local[i])} in local part`);
  }
}

/** Check a domain or address literal; throws on a problem. */
function checkDomain(domain: string, utf8: boolean): void {
  if (domain.startsWith('[')) {
    if (!parseAddressLiteral(domain)) throw syntax('invalid address literal');
    return;
  }
  const problem = domainProblem(domain, utf8);
  if (problem) throw new AddressSyntaxError(problem.kind, problem.reason);
}

/**
 * Scan `local@domain` starting at `start`, stopping before `stop` (">" in a
 * path) or at the end of `text`. Returns the mailbox and the end index.
 */
function scanMailbox(text: string, start: number, stop: string, opts: PathOptions): { mailbox: Mailbox; end: number } {
  let local: string;
  let at: number;
  const quoted = text[start] === '"';
  if (quoted) {
    const q = scanQuoted(text, start, opts.utf8);
    local = q.value;
    at = q.end;
  } else {
    at = start;
    while (at < text.length && text[at] !== '@' && text[at] !== stop) at++;
    local = text.slice(start, at);
    checkDotString(local, opts.utf8);
  }
  if (text[at] !== '@') throw syntax(quoted ? 'expected "@" after quoted local part' : 'missing "@" in address');
  // RFC 5321 §4.5.3.1.1: local-part at most 64 octets (as written)
  if (Buffer.byteLength(text.slice(start, at)) > MAX_LOCAL_PART_OCTETS) throw syntax('local part longer than 64 octets');
  let end: number;
  if (text[at + 1] === '[') {
    const close = text.indexOf(']', at + 1);
    if (close < 0) throw syntax('unbalanced "[" in address literal');
    end = close + 1;
  } else {
    end = at + 1;
    while (end < text.length && text[end] !== stop) end++;
    if (stop !== '' && end === text.length) throw syntax('unbalanced "<": missing ">"');
  }
  const domain = text.slice(at + 1, end);
  checkDomain(domain, opts.utf8);
  return { mailbox: { local, domain, address: text.slice(start, end), sourceRoute: [], quoted }, end };
}

/** RFC 5321 §4.1.2: A-d-l = At-domain *( "," At-domain ) ":" — returns the domains and the index after ":". */
function scanSourceRoute(text: string, start: number, opts: PathOptions): { route: string[]; end: number } {
  const route: string[] = [];
  let i = start;
  for (;;) {
    if (text[i] !== '@') throw syntax('invalid source route');
    let j = i + 1;
    if (text[j] === '[') {
      j = text.indexOf(']', j);
      if (j < 0) throw syntax('unbalanced "[" in source route');
      j++;
    } else {
      while (j < text.length && !',:>'.includes(text[j] ?? '')) j++;
    }
    const domain = text.slice(i + 1, j);
    checkDomain(domain, opts.utf8);
    route.push(domain);
    if (text[j] === ':') return { route, end: j + 1 };
    if (text[j] !== ',') throw syntax('invalid source route');
    i = j + 1;
  }
}

/** Which path a command carries: MAIL has a reverse-path, RCPT a forward-path. */
export type PathKind = 'reverse' | 'forward';

/**
 * Scan a Path beginning at `text[start]` (which must be "<"). Returns the
 * path and the index just after ">". Throws {@link AddressSyntaxError}.
 * Used by the command parser, which needs to know where the path ends.
 */
export function scanPath(text: string, start: number, kind: PathKind, opts: PathOptions): { path: ReversePath; end: number } {
  if (text[start] !== '<') throw syntax('address must be enclosed in <>');
  let i = start + 1;
  if (text[i] === '>') {
    // RFC 5321 §4.1.1.2: the null reverse-path, for bounces
    if (kind === 'forward') throw syntax('empty forward-path');
    return { path: null, end: i + 1 };
  }
  // RFC 5321 §4.1.1.3: RCPT TO:<Postmaster> without a domain must be accepted
  if (kind === 'forward' && text.slice(i, i + 11).toLowerCase() === 'postmaster>') {
    const local = text.slice(i, i + 10);
    return { path: { local, domain: '', address: local, sourceRoute: [], quoted: false }, end: i + 11 };
  }
  let sourceRoute: string[] = [];
  if (text[i] === '@') {
    const r = scanSourceRoute(text, i, opts);
    sourceRoute = r.route;
    i = r.end;
  }
  const { mailbox, end } = scanMailbox(text, i, '>', opts);
  if (text[end] !== '>') throw syntax('unbalanced "<": missing ">"');
  // RFC 5321 §4.5.3.1.3: path at most 256 octets including punctuation
  if (Buffer.byteLength(text.slice(start, end + 1)) > MAX_PATH_OCTETS) throw syntax('path longer than 256 octets');
  return { path: { ...mailbox, sourceRoute }, end: end + 1 };
}

/**
 * Turn an address error into the reply: 501 with X.1.7 (sender) or X.1.3
 * (recipient) syntax (RFC 3463 §3.2), or 553 X.6.7 for UTF-8 without
 * SMTPUTF8 (RFC 6531 §3.5).
 */
export function addressReplyError(err: AddressSyntaxError, kind: PathKind): SmtpReplyError {
  const who = kind === 'reverse' ? 'sender' : 'recipient';
  if (err.kind === 'non-ascii') {
    return new SmtpReplyError(C553MailboxNameNotAllowed, EsNonAsciiAddress, `Invalid ${who} address: ${err.reason}`, { cause: err });
  }
  const enhanced = kind === 'reverse' ? EsBadSenderSyntax : EsBadDestSyntax;
  return new SmtpReplyError(C501ParamSyntax, enhanced, `Invalid ${who} address: ${err.reason}`, { cause: err });
}

function parseWholePath(text: string, kind: PathKind, opts: PathOptions): ReversePath {
  try {
    const { path, end } = scanPath(text, 0, kind, opts);
    if (end !== text.length) throw syntax('unexpected text after ">"');
    return path;
  } catch (err) {
    if (err instanceof AddressSyntaxError) throw addressReplyError(err, kind);
    throw err;
  }
}

/** Parse a whole reverse-path (`<>` gives null). Throws {@link SmtpReplyError} 501 5.1.7 / 553 5.6.7. */
export function parseReversePath(text: string, opts: PathOptions): ReversePath {
  return parseWholePath(text, 'reverse', opts);
}

/** Parse a whole forward-path. Throws {@link SmtpReplyError} 501 5.1.3 / 553 5.6.7. */
export function parseForwardPath(text: string, opts: PathOptions): ForwardPath {
  const path = parseWholePath(text, 'forward', opts);
  if (path === null) throw new Error('unreachable: forward path cannot be null');
  return path;
}

/** Parse a bare `local@domain` (no brackets), e.g. from configuration. Throws {@link AddressSyntaxError}. */
export function parseMailbox(text: string, opts: PathOptions): Mailbox {
  const { mailbox, end } = scanMailbox(text, 0, '', opts);
  if (end !== text.length) throw syntax('unexpected text after address');
  return mailbox;
}
