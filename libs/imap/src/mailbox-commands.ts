// Arguments of the commands that name mailboxes (RFC 9051 §6.3): SELECT and
// EXAMINE with CONDSTORE/QRESYNC (RFC 7162 §3.1.8, §3.2.5), CREATE with USE
// (RFC 6154 §3), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST (RFC 5258,
// RFC 6154 §5.1, RFC 5819), LSUB (RFC 3501 §6.3.9), STATUS and APPEND
// (RFC 3502 MULTIAPPEND, RFC 3516 literal8, RFC 6855 §4 UTF8).

import { parseFlagList, parseListMailbox, parseMailbox, parseSequenceSetArgument, type CommandParseOptions } from './command-arguments';
import type { AppendMessage, ImapCommand, ListReturnOptions, ListSelectionOptions, QresyncParameters, StatusItem } from './command';
import { decodeUtf8, type CommandScanner } from './command-scanner';
import { parseDateTime, type ZonedDateTime } from './imap-date';
import { ImapResponseError, syntaxError } from './response-error';

type Untagged<T> = T extends unknown ? Omit<T, 'tag'> : never;
type Parsed = Untagged<ImapCommand>;

const STATUS_ITEMS = new Set<string>(['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'DELETED', 'SIZE', 'RECENT', 'HIGHESTMODSEQ', 'APPENDLIMIT']);
// RFC 6154 §2: the special-use attributes
const USE_ATTRIBUTES = new Map(['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash'].map((a) => [a.toLowerCase(), a]));

/** SELECT / EXAMINE mailbox [SP "(" select-param *(SP select-param) ")"]. */
export function parseSelect(kind: 'SELECT' | 'EXAMINE', s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const mailbox = parseMailbox(s, options);
  let condstore = false;
  let qresync: QresyncParameters | undefined;
  if (!s.atEnd()) {
    s.sp();
    s.list(
      () => {
        const name = s.atom('a select parameter').toUpperCase();
        if (name === 'CONDSTORE') condstore = true;
        else if (name === 'QRESYNC') {
          s.sp();
          qresync = parseQresync(s);
        } else throw syntaxError(`Unknown select parameter ${name.slice(0, 40)}`);
      },
      { what: 'select parameters' },
    );
  }
  s.end();
  return { kind, mailbox, condstore, ...(qresync === undefined ? {} : { qresync }) };
}

/** RFC 7162 §7: "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")". */
function parseQresync(s: CommandScanner): QresyncParameters {
  s.expect(0x28, '"("');
  s.enter();
  const uidValidity = s.number('a UIDVALIDITY');
  if (uidValidity === 0) throw syntaxError('UIDVALIDITY is non-zero');
  s.sp();
  const modseq = s.number64('a mod-sequence');
  let knownUids: QresyncParameters['knownUids'];
  let sequenceMatch: QresyncParameters['sequenceMatch'];
  if (s.accept(0x20)) {
    if (!s.at(0x28)) {
      knownUids = parseSequenceSetArgument(s);
      if (s.accept(0x20) && !s.at(0x28)) throw syntaxError('Expected sequence match data');
    }
    if (s.at(0x28)) {
      s.expect(0x28, '"("');
      const sequenceNumbers = parseSequenceSetArgument(s);
      s.sp();
      const uids = parseSequenceSetArgument(s);
      s.expect(0x29, '")"');
      sequenceMatch = { sequenceNumbers, uids };
    }
  }
  s.expect(0x29, '")"');
  s.leave();
  return { uidValidity, modseq, ...(knownUids === undefined ? {} : { knownUids }), ...(sequenceMatch === undefined ? {} : { sequenceMatch }) };
}

/** CREATE mailbox [SP "(" "USE" SP "(" use-attr* ")" ")"] (RFC 9051 §6.3.4, RFC 6154 §3). */
export function parseCreate(s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const mailbox = parseMailbox(s, options);
  let specialUse: string[] = [];
  if (!s.atEnd()) {
    s.sp();
    s.list(
      () => {
        if (!s.acceptKeyword('USE')) throw syntaxError('Unknown CREATE parameter');
        s.sp();
        specialUse = s.list(
          () => {
            s.expect(0x5c, 'a special-use attribute');
            const attribute = USE_ATTRIBUTES.get(`\\${s.atom('a special-use attribute')}`.toLowerCase());
            // RFC 6154 §3: use-attr allows extensions; one this server does not know is refused with NO [USEATTR]
            if (attribute === undefined) throw new ImapResponseError('NO', 'Unknown special-use attribute', { code: 'USEATTR', userFault: true });
            return attribute;
          },
          { allowEmpty: true, what: 'special-use attributes' },
        );
      },
      { what: 'CREATE parameters' },
    );
  }
  s.end();
  return { kind: 'CREATE', mailbox, specialUse };
}

/** DELETE / SUBSCRIBE / UNSUBSCRIBE mailbox. */
export function parseOneMailbox(kind: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE', s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const mailbox = parseMailbox(s, options);
  s.end();
  return { kind, mailbox };
}

/** RENAME existing-mailbox SP new-mailbox. */
export function parseRename(s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const from = parseMailbox(s, options);
  s.sp();
  const to = parseMailbox(s, options);
  s.end();
  return { kind: 'RENAME', from, to };
}

/** LIST [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts] (RFC 9051 §9, RFC 5258 §6). */
export function parseList(s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const selection = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
  let extended = false;
  if (s.at(0x28)) {
    extended = true;
    for (const option of s.list(() => s.atom('a selection option').toUpperCase(), { allowEmpty: true, what: 'selection options' })) {
      if (option === 'SUBSCRIBED') selection.subscribed = true;
      else if (option === 'REMOTE') selection.remote = true;
      else if (option === 'RECURSIVEMATCH') selection.recursiveMatch = true;
      else if (option === 'SPECIAL-USE') selection.specialUse = true;
      else throw syntaxError(`Unknown LIST selection option ${option.slice(0, 40)}`);
    }
    // RFC 5258 §3.1: RECURSIVEMATCH alone is a syntax error
    if (selection.recursiveMatch && !selection.subscribed && !selection.specialUse) throw syntaxError('RECURSIVEMATCH needs another selection option');
    s.sp();
  }
  // the reference is a prefix, not a mailbox: no INBOX normalization here
  const reference = parseListMailbox(s, options);
  s.sp();
  let patterns: string[];
  if (s.at(0x28)) {
    extended = true;
    patterns = s.list(() => parseListMailbox(s, options), { what: 'patterns' });
  } else patterns = [parseListMailbox(s, options)];
  const returns: { subscribed: boolean; children: boolean; specialUse: boolean; status?: StatusItem[] } = { subscribed: false, children: false, specialUse: false };
  if (!s.atEnd()) {
    s.sp();
    if (!s.acceptKeyword('RETURN')) throw syntaxError('Expected RETURN');
    s.sp();
    extended = true;
    s.list(
      () => {
        const option = s.atom('a return option').toUpperCase();
        if (option === 'SUBSCRIBED') returns.subscribed = true;
        else if (option === 'CHILDREN') returns.children = true;
        else if (option === 'SPECIAL-USE') returns.specialUse = true;
        else if (option === 'STATUS') {
          // RFC 5819 §2: STATUS (status-att ...)
          s.sp();
          returns.status = parseStatusItems(s);
        } else throw syntaxError(`Unknown LIST return option ${option.slice(0, 40)}`);
      },
      { allowEmpty: true, what: 'return options' },
    );
  }
  s.end();
  return { kind: 'LIST', reference, patterns, selection: selection as ListSelectionOptions, returns: returns as ListReturnOptions, extended };
}

/** LSUB mailbox SP list-mailbox (RFC 3501 §6.3.9). */
export function parseLsub(s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const reference = parseListMailbox(s, options);
  s.sp();
  const pattern = parseListMailbox(s, options);
  s.end();
  return { kind: 'LSUB', reference, pattern };
}

function parseStatusItems(s: CommandScanner): StatusItem[] {
  return s.list(
    () => {
      const item = s.atom('a status item').toUpperCase();
      if (!STATUS_ITEMS.has(item)) throw syntaxError(`Unknown status item ${item.slice(0, 40)}`);
      return item as StatusItem;
    },
    { what: 'status items' },
  );
}

/** STATUS mailbox SP "(" status-att *(SP status-att) ")". */
export function parseStatus(s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const mailbox = parseMailbox(s, options);
  s.sp();
  const items = parseStatusItems(s);
  s.end();
  return { kind: 'STATUS', mailbox, items };
}

/** APPEND mailbox 1*(SP [flag-list SP] [date-time SP] (literal / literal8 / "UTF8" SP "(" literal8 ")")). */
export function parseAppend(s: CommandScanner, options: CommandParseOptions): Parsed {
  s.sp();
  const mailbox = parseMailbox(s, options);
  const messages: AppendMessage[] = [];
  // RFC 3502 §6: MULTIAPPEND repeats append-message
  do {
    s.sp();
    let flags: string[] = [];
    let internalDate: ZonedDateTime | undefined;
    if (s.at(0x28)) {
      flags = parseFlagList(s);
      s.sp();
    }
    if (s.at(0x22)) {
      internalDate = parseDateTime(decodeUtf8(s.string('a date-time'), 'date-time'));
      s.sp();
    }
    let content: Buffer;
    let binary: boolean;
    if (s.acceptKeyword('UTF8')) {
      // RFC 6855 §4: APPEND ... UTF8 (literal8)
      s.sp();
      s.expect(0x28, '"("');
      binary = true;
      content = literal(s, true);
      s.expect(0x29, '")"');
    } else {
      binary = s.peek() === 0x7e;
      content = literal(s, binary);
    }
    messages.push({ flags, content, binary, ...(internalDate === undefined ? {} : { internalDate }) });
  } while (!s.atEnd());
  return { kind: 'APPEND', mailbox, messages };
}

// RFC 9051 §9: append-data is a literal (or literal8), never a quoted string
function literal(s: CommandScanner, binary: boolean): Buffer {
  if (!s.atLiteral()) throw syntaxError('Expected the message as a literal');
  return s.string('a message literal', { binary });
}
