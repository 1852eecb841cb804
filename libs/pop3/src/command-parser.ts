// POP3 command grammar: turns one command line into a typed command, or
// throws a Pop3ResponseError whose text says what is wrong with it.
//
// The parser checks syntax only. Whether a command is allowed in the current
// state, and whether a message number exists, is the session's business.

import { Pop3ResponseError } from './response';
import { isSaslResponseSyntax } from './sasl-response';

/** RFC 2449 §4: a command line is at most 255 octets, including the terminating CRLF. */
export const MAX_POP3_COMMAND_LINE = 255;

/**
 * RFC 1939 §3: each argument may be up to 40 characters long. PASS, the USER
 * and APOP names and the AUTH initial response are exempt (see below).
 */
export const MAX_POP3_ARGUMENT_LENGTH = 40;

/**
 * The largest message number or line count accepted. RFC 1939 sets no limit;
 * this keeps numbers exact in a JS number and far beyond any real maildrop.
 */
export const MAX_POP3_NUMBER = 2_147_483_647;

/** A parsed POP3 command, discriminated by `kind` (the upper-cased keyword). */
export type Pop3Command =
  | { readonly kind: 'USER'; readonly name: string }
  | { readonly kind: 'PASS'; readonly password: string }
  | { readonly kind: 'APOP'; readonly name: string; readonly digest: string }
  | { readonly kind: 'STAT' }
  | { readonly kind: 'LIST'; readonly msg?: number }
  | { readonly kind: 'RETR'; readonly msg: number }
  | { readonly kind: 'DELE'; readonly msg: number }
  | { readonly kind: 'NOOP' }
  | { readonly kind: 'RSET' }
  | { readonly kind: 'QUIT' }
  | { readonly kind: 'TOP'; readonly msg: number; readonly lines: number }
  | { readonly kind: 'UIDL'; readonly msg?: number }
  | { readonly kind: 'CAPA' }
  | { readonly kind: 'STLS' }
  | { readonly kind: 'AUTH'; readonly mechanism?: string; readonly initialResponse?: string }
  | { readonly kind: 'UNKNOWN'; readonly keyword: string };

/** The `kind` of a {@link Pop3Command}. */
export type Pop3CommandKind = Pop3Command['kind'];

/**
 * Parses one command line.
 *
 * The trailing CRLF (or a bare LF) may be present or already removed.
 * Keywords are case-insensitive; a well-formed keyword this parser does not
 * know yields `{ kind: 'UNKNOWN', keyword }` so the session can count it.
 *
 * @throws Pop3ResponseError (userFault) naming the problem: an over-long or
 *   empty line, control characters, a malformed keyword, a wrong number of
 *   arguments, an over-long argument, or a bad number. Error texts never
 *   echo the client's input.
 */
export function parsePop3Command(line: string): Pop3Command {
  const text = stripLineEnd(line);
  // RFC 2449 §4: 255 octets including CRLF.
  if (Buffer.byteLength(text) + 2 > MAX_POP3_COMMAND_LINE) {
    throw syntaxError(`command line too long (limit ${MAX_POP3_COMMAND_LINE} octets including CRLF)`);
  }
  // RFC 1939 §3: keywords and arguments consist of printable characters; a
  // control character (a stray CR or LF above all) is never valid.
  if (CONTROL_CHARACTER.test(text)) throw syntaxError('command contains control characters');
  if (text.trim() === '') throw syntaxError('empty command line');

  const space = text.indexOf(' ');
  const keyword = space === -1 ? text : text.slice(0, space);
  const rest = space === -1 ? '' : text.slice(space + 1);
  // RFC 1939 §3: keywords are three or four characters long.
  if (!KEYWORD.test(keyword)) throw syntaxError('command keyword must be 3 or 4 printable ASCII characters');
  // RFC 1939 §3: keywords are case-insensitive.
  const kind = keyword.toUpperCase();

  // RFC 1939 §7: PASS has exactly one argument, so spaces belong to the
  // password; it is also exempt from the 40-character argument limit.
  if (kind === 'PASS') return parsePass(rest);
  return parseWithArguments(kind, splitArguments(kind, rest));
}

function parseWithArguments(kind: string, args: readonly string[]): Pop3Command {
  switch (kind) {
    // RFC 1939 §7: USER name.
    case 'USER':
      expectArity(kind, args, 1, 1);
      return { kind, name: arg(args, 0) };
    // RFC 1939 §7: APOP name digest.
    case 'APOP':
      expectArity(kind, args, 2, 2);
      return { kind, name: arg(args, 0), digest: parseDigest(arg(args, 1)) };
    // RFC 1939 §5: STAT, NOOP, RSET and QUIT take no argument; so do CAPA
    // (RFC 2449 §5) and STLS (RFC 2595 §4).
    case 'STAT':
    case 'NOOP':
    case 'RSET':
    case 'QUIT':
    case 'CAPA':
    case 'STLS':
      expectArity(kind, args, 0, 0);
      return { kind };
    // RFC 1939 §5 LIST [msg]; RFC 1939 §7 UIDL [msg].
    case 'LIST':
    case 'UIDL': {
      expectArity(kind, args, 0, 1);
      const first = args[0];
      return first === undefined ? { kind } : { kind, msg: parseMessageNumber(kind, first) };
    }
    // RFC 1939 §5: RETR msg, DELE msg.
    case 'RETR':
    case 'DELE':
      expectArity(kind, args, 1, 1);
      return { kind, msg: parseMessageNumber(kind, arg(args, 0)) };
    // RFC 1939 §7: TOP msg n, where n is a non-negative number of body lines.
    case 'TOP':
      expectArity(kind, args, 2, 2);
      return {
        kind,
        msg: parseMessageNumber(kind, arg(args, 0)),
        lines: parseNumber(kind, 'line count', arg(args, 1), 0),
      };
    case 'AUTH':
      return parseAuth(args);
    default:
      return { kind: 'UNKNOWN', keyword: kind };
  }
}

function parsePass(rest: string): Pop3Command {
  if (rest === '') throw syntaxError('PASS requires a password');
  return { kind: 'PASS', password: rest };
}

// RFC 5034 §4: AUTH mechanism [initial-response]. A bare AUTH (no mechanism)
// is the RFC 1734 era way of asking for the mechanism list; it is kept so the
// session can answer it or refuse it.
function parseAuth(args: readonly string[]): Pop3Command {
  expectArity('AUTH', args, 0, 2);
  const [mechanism, initialResponse] = args;
  if (mechanism === undefined) return { kind: 'AUTH' };
  // RFC 4422 §3.1: mechanism names are 1-20 characters of A-Z, 0-9, '-' and '_'.
  if (!SASL_MECHANISM.test(mechanism)) throw syntaxError('AUTH mechanism name is malformed');
  const name = mechanism.toUpperCase();
  if (initialResponse === undefined) return { kind: 'AUTH', mechanism: name };
  // RFC 5034 §4: the initial response is BASE64, or "=" when it is empty.
  if (!isSaslResponseSyntax(initialResponse, { allowEmptyMarker: true })) {
    throw syntaxError('AUTH initial response is not valid BASE64');
  }
  return { kind: 'AUTH', mechanism: name, initialResponse };
}

function splitArguments(kind: string, rest: string): string[] {
  // RFC 1939 §3: arguments are separated by a single space. Trailing spaces
  // and doubled separators, which some clients send, are tolerated.
  const args = rest.split(' ').filter((part) => part !== '');
  for (const [index, value] of args.entries()) {
    // RFC 1939 §3: each argument may be up to 40 characters. RFC 2449 §4
    // relaxes this to the 255-octet line limit, which is all that bounds
    // the AUTH initial response (RFC 5034 §4) and the USER and APOP names
    // (user names are often e-mail addresses, longer than 40 characters).
    if (value.length > MAX_POP3_ARGUMENT_LENGTH && !isExemptFromArgumentLimit(kind, index)) {
      throw syntaxError(`${kind} argument too long (limit ${MAX_POP3_ARGUMENT_LENGTH} characters)`);
    }
  }
  return args;
}

function isExemptFromArgumentLimit(kind: string, index: number): boolean {
  if (kind === 'AUTH') return index === 1;
  return (kind === 'USER' || kind === 'APOP') && index === 0;
}

function expectArity(kind: string, args: readonly string[], min: number, max: number): void {
  if (args.length >= min && args.length <= max) return;
  if (max === 0) throw syntaxError(`${kind} takes no arguments`);
  if (args.length < min) throw syntaxError(`${kind} requires ${describeArity(min, max)}`);
  throw syntaxError(`${kind} takes ${describeArity(min, max)}`);
}

function describeArity(min: number, max: number): string {
  const count = min === max ? `${min}` : `${min} to ${max}`;
  return `${count} argument${max === 1 ? '' : 's'}`;
}

/** Index into an argument list whose length was checked by expectArity. */
function arg(args: readonly string[], index: number): string {
  const value = args[index];
  if (value === undefined) throw new RangeError(`argument ${index} missing after arity check`);
  return value;
}

// RFC 1939 §3/§5: message numbers are decimal and start at 1.
function parseMessageNumber(kind: string, value: string): number {
  return parseNumber(kind, 'message number', value, 1);
}

function parseNumber(kind: string, what: string, value: string, min: 0 | 1): number {
  const expected = min === 1 ? 'a positive integer' : 'a non-negative integer';
  // RFC 1939 §5: numbers are in base 10; no sign, no exponent, no hex.
  if (!DIGITS.test(value)) throw syntaxError(`${kind} ${what} must be ${expected}`);
  const digits = value.replace(LEADING_ZEROS, '');
  const number = digits === '' ? 0 : Number(digits);
  if (number < min) throw syntaxError(`${kind} ${what} must be ${expected}`);
  if (digits.length > 10 || number > MAX_POP3_NUMBER) {
    throw syntaxError(`${kind} ${what} is too large (limit ${MAX_POP3_NUMBER})`);
  }
  return number;
}

// RFC 1939 §7: the digest is the MD5 of timestamp and secret, 16 octets in
// hexadecimal, in lower case. Upper case is accepted and normalized.
function parseDigest(value: string): string {
  if (!MD5_HEX.test(value)) throw syntaxError('APOP digest must be 32 hexadecimal digits');
  return value.toLowerCase();
}

function stripLineEnd(line: string): string {
  if (line.endsWith('\r\n')) return line.slice(0, -2);
  if (line.endsWith('\n')) return line.slice(0, -1);
  return line;
}

function syntaxError(text: string): Pop3ResponseError {
  return new Pop3ResponseError(text, { userFault: true });
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const KEYWORD = /^[\x21-\x7e]{3,4}$/;
const DIGITS = /^[0-9]+$/;
const LEADING_ZEROS = /^0+/;
const MD5_HEX = /^[0-9a-fA-F]{32}$/;
const SASL_MECHANISM = /^[A-Za-z0-9_-]{1,20}$/;
