// From a framed command to a typed ImapCommand (RFC 9051 §2.2.1, §6, §9):
// the tag, the command name, the UID prefix, and each command's arguments.
// Any failure is an ImapResponseError carrying the tag when it was read:
// BAD for syntax (RFC 9051 §7.1.3), NO for a refused value (BADCHARSET).

import type { ImapCommand } from './command';
import { parseMailbox, type CommandParseOptions } from './command-arguments';
import type { RawCommand } from './command-reader';
import { CommandScanner, decodeUtf8, DEFAULT_STRUCTURE_LIMITS } from './command-scanner';
import { parseAppend, parseCreate, parseList, parseLsub, parseOneMailbox, parseRename, parseSelect, parseStatus } from './mailbox-commands';
import { parseMessageCommand, UID_COMMANDS } from './message-commands';
import { ImapResponseError, syntaxError } from './response-error';

export type { CommandParseOptions } from './command-arguments';

type Untagged<T> = T extends unknown ? Omit<T, 'tag'> : never;
type Parsed = Untagged<ImapCommand>;

const NO_ARGUMENTS = new Set(['CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'IDLE', 'CLOSE', 'UNSELECT', 'NAMESPACE', 'CHECK']);
// RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">
const isTagChar = (o: number): boolean => o !== 0x2b && ((o > 0x20 && o < 0x7f && !'(){%*"\\'.includes(String.fromCharCode(o))) || o === 0x5d);
// RFC 4959 §7 / RFC 9051 §9: initial-resp = base64 / "="
const INITIAL_RESPONSE = /^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|=)$/;
// RFC 2971 §3.1: at most 30 pairs, fields up to 30 octets, values up to 1024
const MAX_ID_PAIRS = 30;

/**
 * Parses one framed command.
 *
 * @throws ImapResponseError with the command's tag when it could be read.
 */
export function parseCommand(raw: RawCommand, options: CommandParseOptions): ImapCommand {
  const s = new CommandScanner(raw, options.limits ?? DEFAULT_STRUCTURE_LIMITS);
  let tag: string | undefined;
  try {
    tag = s.word('a tag', isTagChar);
    s.sp();
    const name = s.atom('a command name').toUpperCase();
    return { tag, ...parseNamed(name, s, options) } as ImapCommand;
  } catch (error) {
    if (error instanceof ImapResponseError && tag !== undefined) throw error.withTag(tag);
    throw error;
  }
}

function parseNamed(name: string, s: CommandScanner, options: CommandParseOptions): Parsed {
  if (NO_ARGUMENTS.has(name)) {
    s.end();
    return { kind: name } as Parsed;
  }
  switch (name) {
    case 'UID': {
      s.sp();
      const inner = s.atom('a command name').toUpperCase();
      if (!UID_COMMANDS.has(inner)) throw syntaxError(`UID ${inner.slice(0, 40)} is not a command`);
      return parseMessageCommand(inner, true, s, options);
    }
    case 'SEARCH':
    case 'FETCH':
    case 'STORE':
    case 'COPY':
    case 'MOVE':
    case 'EXPUNGE':
      return parseMessageCommand(name, false, s, options);
    case 'SELECT':
    case 'EXAMINE':
      return parseSelect(name, s, options);
    case 'CREATE':
      return parseCreate(s, options);
    case 'DELETE':
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE':
      return parseOneMailbox(name, s, options);
    case 'RENAME':
      return parseRename(s, options);
    case 'LIST':
      return parseList(s, options);
    case 'LSUB':
      return parseLsub(s, options);
    case 'STATUS':
      return parseStatus(s, options);
    case 'APPEND':
      return parseAppend(s, options);
    default:
      return parseSessionCommand(name, s, options);
  }
}

const SESSION_COMMANDS = new Set(['AUTHENTICATE', 'LOGIN', 'ENABLE', 'GETQUOTA', 'GETQUOTAROOT', 'SETQUOTA', 'ID']);

function parseSessionCommand(name: string, s: CommandScanner, options: CommandParseOptions): Parsed {
  if (!SESSION_COMMANDS.has(name)) throw syntaxError(`Unknown command ${name.slice(0, 40)}`);
  s.sp();
  switch (name) {
    case 'AUTHENTICATE': {
      // RFC 9051 §6.2.2: auth-type is an atom, matched case-insensitively
      const mechanism = s.atom('a SASL mechanism').toUpperCase();
      if (s.atEnd()) return { kind: 'AUTHENTICATE', mechanism };
      s.sp();
      const initialResponse = s.token('an initial response', '=+/');
      if (!INITIAL_RESPONSE.test(initialResponse)) throw syntaxError('The initial response is not BASE64');
      s.end();
      return { kind: 'AUTHENTICATE', mechanism, initialResponse };
    }
    case 'LOGIN': {
      // RFC 9051 §6.2.3: userid and password are astrings (UTF-8, RFC 9051 §4.3)
      const username = decodeUtf8(s.astring('a user name'), 'user name');
      s.sp();
      const password = decodeUtf8(s.astring('a password'), 'password');
      s.end();
      return { kind: 'LOGIN', username, password };
    }
    case 'ENABLE': {
      // RFC 5161 §3.1: ENABLE 1*(SP capability)
      const capabilities = [s.atom('a capability').toUpperCase()];
      while (!s.atEnd()) {
        s.sp();
        capabilities.push(s.atom('a capability').toUpperCase());
      }
      return { kind: 'ENABLE', capabilities };
    }
    case 'GETQUOTA':
    case 'GETQUOTAROOT':
    case 'SETQUOTA':
      return parseQuotaCommand(name, s, options);
    case 'ID':
      return parseId(s);
    default:
      throw syntaxError(`Unknown command ${name.slice(0, 40)}`);
  }
}

/** RFC 9208 §4: GETQUOTA quota-root, GETQUOTAROOT mailbox, SETQUOTA quota-root SP "(" [resource SP limit *(SP ...)] ")". */
function parseQuotaCommand(name: 'GETQUOTA' | 'GETQUOTAROOT' | 'SETQUOTA', s: CommandScanner, options: CommandParseOptions): Parsed {
  if (name === 'GETQUOTAROOT') {
    const mailbox = parseMailbox(s, options);
    s.end();
    return { kind: name, mailbox };
  }
  const root = decodeUtf8(s.astring('a quota root'), 'quota root');
  if (name === 'GETQUOTA') {
    s.end();
    return { kind: name, root };
  }
  s.sp();
  const limits = s.list(
    () => {
      const resource = s.atom('a resource name').toUpperCase();
      s.sp();
      return { resource, limit: s.number64('a limit') };
    },
    { allowEmpty: true, what: 'quota limits' },
  );
  s.end();
  return { kind: name, root, limits };
}

/** RFC 2971 §4: id = "ID" SP id-params-list; id-params-list = "(" *(string SP nstring) ")" / nil. */
function parseId(s: CommandScanner): Parsed {
  if (s.acceptKeyword('NIL')) {
    s.end();
    return { kind: 'ID', parameters: null };
  }
  const parameters = s.list(
    () => {
      const field = decodeUtf8(s.string('an ID field'), 'ID field');
      s.sp();
      const value = s.nstring('an ID value');
      // RFC 2971 §3.3: fields are at most 30 octets, values at most 1024
      if (Buffer.byteLength(field) > 30 || (value !== null && value.length > 1024)) throw syntaxError('ID field or value too long');
      return [field, value === null ? null : decodeUtf8(value, 'ID value')] as const;
    },
    { allowEmpty: true, what: 'ID parameters' },
  );
  if (parameters.length > MAX_ID_PAIRS) throw syntaxError(`More than ${MAX_ID_PAIRS} ID parameters`);
  s.end();
  return { kind: 'ID', parameters };
}

/**
 * RFC 2177 §3: IDLE ends when the client sends "DONE" on a line of its own
 * (read in the reader's `lines` mode). Anything else ends it too, refused
 * with BAD by the session (RFC 9051 §6.3.13).
 */
export function isIdleDone(line: RawCommand): boolean {
  return line.literals.length === 0 && line.lines.length === 1 && (line.lines[0] as Buffer).toString('latin1').toUpperCase() === 'DONE';
}
