// Parse one SMTP command line (without its CRLF) into a typed command
// (RFC 5321 §4.1.1, with STARTTLS RFC 3207, AUTH RFC 4954, BDAT RFC 3030).
// Syntax only: whether a command is allowed now is the session's gate.

import { AddressSyntaxError, addressReplyError, scanPath } from './address';
import type { ForwardPath, PathKind, ReversePath } from './address';
import { parseEsmtpParams } from './esmtp-params';
import type { EsmtpParams } from './esmtp-params';
import { C500SyntaxError, C501ParamSyntax, EsInvalidArguments, EsSyntaxError } from './reply-codes';
import { SmtpReplyError } from './reply';

/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including CRLF. */
export const MAX_COMMAND_LINE = 512;
/** RFC 4954 §4: a line of an AUTH exchange (client response) may be up to 12288 octets. */
export const MAX_AUTH_LINE = 12288;

/** A parsed command. `kind` is the uppercased verb; unknown verbs give `UNKNOWN`. */
export type SmtpCommand =
  | { kind: 'HELO'; domain: string }
  | { kind: 'EHLO'; domain: string }
  | { kind: 'MAIL'; path: ReversePath; params: EsmtpParams }
  | { kind: 'RCPT'; path: ForwardPath; params: EsmtpParams }
  | { kind: 'DATA' }
  | { kind: 'BDAT'; size: number; last: boolean }
  | { kind: 'RSET' }
  | { kind: 'NOOP' }
  | { kind: 'QUIT' }
  | { kind: 'VRFY'; arg: string }
  | { kind: 'EXPN'; arg: string }
  | { kind: 'HELP'; arg?: string }
  | { kind: 'STARTTLS' }
  | { kind: 'AUTH'; mechanism: string; initialResponse?: string }
  | { kind: 'UNKNOWN'; verb: string; args: string };

/** Options for {@link parseCommand}. */
export interface CommandOptions {
  /** The current transaction's MAIL carried SMTPUTF8 (RFC 6531 §3.4): allow UTF-8 in RCPT addresses. */
  utf8?: boolean;
}

// Everything but TAB in C0, and DEL. CR and LF never belong inside a line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
// RFC 4422 §3.1: mechanism names are 1-20 of upper-case letters, digits, "-" and "_"
const SASL_MECH = /^[A-Za-z0-9_-]{1,20}$/;
// RFC 4954 §4: initial-response = base64 / "="
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const syntaxError = (text: string): SmtpReplyError => new SmtpReplyError(C501ParamSyntax, EsInvalidArguments, `Syntax error: ${text}`);

function noArgs(kind: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS', args: string): SmtpCommand {
  // RFC 5321 §4.1.1.4/5/10, RFC 3207 §4: these take no parameters
  if (args !== '') throw syntaxError(`${kind} takes no parameters`);
  return { kind };
}

function parseHello(kind: 'HELO' | 'EHLO', args: string): SmtpCommand {
  // RFC 5321 §4.1.1.1: "EHLO" SP ( Domain / address-literal ). The name is not
  // checked further here: accepting odd names is policy (see isValidDomain).
  if (args === '' || args.includes(' ')) throw syntaxError(`${kind} requires exactly one domain or address literal`);
  return { kind, domain: args };
}

/** Parse "FROM:<path> params" / "TO:<path> params". */
function parsePathCommand(kind: 'MAIL' | 'RCPT', args: string, options: CommandOptions): SmtpCommand {
  const keyword = kind === 'MAIL' ? 'FROM:' : 'TO:';
  const pathKind: PathKind = kind === 'MAIL' ? 'reverse' : 'forward';
  if (args.slice(0, keyword.length).toUpperCase() !== keyword) throw syntaxError(`expected ${kind} ${keyword}<address>`);
  let start = keyword.length;
  // Leniency: many clients send "MAIL FROM: <a@b>" (RFC 5321 §4.1.2 has no space)
  while (args[start] === ' ') start++;
  try {
    // Scan with UTF-8 allowed to find where the path ends; MAIL may enable
    // SMTPUTF8 in its own parameters (RFC 6531 §3.4), which come after it.
    const scanned = scanPath(args, start, pathKind, { utf8: true });
    const rest = args.slice(scanned.end);
    if (rest !== '' && !rest.startsWith(' ')) throw new AddressSyntaxError('syntax', 'unexpected text after ">"');
    let params = parseEsmtpParams(rest, { utf8: true });
    const utf8 = (options.utf8 ?? false) || (kind === 'MAIL' && params.has('SMTPUTF8'));
    let path = scanned.path;
    if (!utf8) {
      path = scanPath(args, start, pathKind, { utf8: false }).path;
      params = parseEsmtpParams(rest, { utf8: false });
    }
    if (kind === 'MAIL') return { kind, path, params };
    if (path === null) throw new Error('unreachable: forward path cannot be null');
    return { kind, path, params };
  } catch (err) {
    if (err instanceof AddressSyntaxError) throw addressReplyError(err, pathKind);
    throw err;
  }
}

function parseBdat(args: string): SmtpCommand {
  // RFC 3030 §4: "BDAT" SP chunk-size [ SP end-marker ]; end-marker = "LAST"
  const m = /^(\d{1,15})(?: +(LAST))?$/i.exec(args);
  if (!m?.[1]) throw syntaxError('expected BDAT <size> [LAST]');
  return { kind: 'BDAT', size: Number(m[1]), last: m[2] !== undefined };
}

function parseAuth(args: string): SmtpCommand {
  // RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response]
  const [mechanism = '', initialResponse, extra] = args.split(/ +/);
  if (!SASL_MECH.test(mechanism) || extra !== undefined) throw syntaxError('expected AUTH <mechanism> [initial-response]');
  if (initialResponse === undefined) return { kind: 'AUTH', mechanism: mechanism.toUpperCase() };
  // RFC 4954 §4: a response that is not base64 gets 501 (example: 501 5.5.2)
  if (initialResponse !== '=' && !BASE64.test(initialResponse)) {
    throw new SmtpReplyError(C501ParamSyntax, EsSyntaxError, 'Cannot decode base64 initial response');
  }
  return { kind: 'AUTH', mechanism: mechanism.toUpperCase(), initialResponse };
}

/**
 * The line without its trailing spaces. A loop, not `/ +$/`: that regex
 * backtracks over every run of spaces, so a long line of spaces not at the
 * end took quadratic time (found by command-parser.fuzz.spec.ts).
 */
function withoutTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 0x20) end--;
  return line.slice(0, end);
}

/**
 * Parse one command line, given without its CRLF (decoded as UTF-8).
 *
 * Verbs are case-insensitive; trailing spaces are ignored. An empty line or
 * unknown verb gives `UNKNOWN` (the session answers 500 5.5.2). Malformed
 * arguments throw {@link SmtpReplyError}: 501 5.5.4 for syntax, 501 5.1.7 /
 * 5.1.3 for bad sender / recipient addresses, 553 5.6.7 for UTF-8 addresses
 * without SMTPUTF8, 500 5.5.2 for control characters.
 *
 * For AUTH, `initialResponse` is the raw base64; "=" means an empty response.
 * For MAIL, `path` is null for `<>`. Source routes are parsed and reported in
 * `path.sourceRoute` for the session to refuse or ignore.
 */
export function parseCommand(line: string, options: CommandOptions = {}): SmtpCommand {
  if (CONTROL.test(line)) throw new SmtpReplyError(C500SyntaxError, EsSyntaxError, 'Syntax error: control character in command');
  const trimmed = withoutTrailingSpaces(line);
  const space = trimmed.indexOf(' ');
  const verb = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  const args = space < 0 ? '' : trimmed.slice(space + 1).replace(/^ +/, '');
  switch (verb) {
    case 'HELO':
    case 'EHLO':
      return parseHello(verb, args);
    case 'MAIL':
    case 'RCPT':
      return parsePathCommand(verb, args, options);
    case 'DATA':
    case 'RSET':
    case 'QUIT':
    case 'STARTTLS':
      return noArgs(verb, args);
    case 'NOOP':
      // RFC 5321 §4.1.1.9: "NOOP" [ SP String ]; the argument is ignored
      return { kind: 'NOOP' };
    case 'VRFY':
    case 'EXPN':
      // RFC 5321 §4.1.1.6/7: "VRFY" SP String
      if (args === '') throw syntaxError(`${verb} requires an argument`);
      return { kind: verb, arg: args };
    case 'HELP':
      return args === '' ? { kind: 'HELP' } : { kind: 'HELP', arg: args };
    case 'BDAT':
      return parseBdat(args);
    case 'AUTH':
      return parseAuth(args);
    default:
      return { kind: 'UNKNOWN', verb: verb.slice(0, 64), args };
  }
}
