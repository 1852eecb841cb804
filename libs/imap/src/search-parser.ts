// The arguments of SEARCH / UID SEARCH (RFC 9051 §6.4.4): RETURN options
// (RFC 4731 ESEARCH, RFC 5182 SAVE), CHARSET, and the search-key grammar of
// RFC 9051 §9 with RFC 3501's NEW/OLD/RECENT, RFC 7162 MODSEQ and RFC 5032
// OLDER/YOUNGER. Nesting (parentheses, NOT, OR) is bounded by the scanner.

import { decodeUtf8, type CommandScanner } from './command-scanner';
import { parseSearchDate } from './imap-date';
import { ImapResponseError, syntaxError } from './response-error';
import type { SearchKey } from './search-key';
import { parseSequenceSet } from './sequence-set';

/** RFC 4731 §3.1 and RFC 5182 §2.1: what an extended SEARCH returns. */
export type SearchReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';

/** The parsed arguments of SEARCH. */
export interface SearchProgram {
  /** Present when the client used RETURN (then the answer is ESEARCH, RFC 4731 §3.1); `RETURN ()` means ALL. */
  readonly returnOptions?: readonly SearchReturnOption[];
  readonly charset?: string;
  /** The keys, joined by AND. */
  readonly criteria: SearchKey;
}

/** RFC 9051 §6.4.4: a server MUST support US-ASCII and UTF-8. */
export const SEARCH_CHARSETS = ['UTF-8', 'US-ASCII'] as const;

const RETURN_OPTIONS = new Set(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE']);
const FLAG_KEYS: Record<string, { flag: string; present: boolean }> = {
  ANSWERED: { flag: '\\Answered', present: true },
  UNANSWERED: { flag: '\\Answered', present: false },
  DELETED: { flag: '\\Deleted', present: true },
  UNDELETED: { flag: '\\Deleted', present: false },
  DRAFT: { flag: '\\Draft', present: true },
  UNDRAFT: { flag: '\\Draft', present: false },
  FLAGGED: { flag: '\\Flagged', present: true },
  UNFLAGGED: { flag: '\\Flagged', present: false },
  SEEN: { flag: '\\Seen', present: true },
  UNSEEN: { flag: '\\Seen', present: false },
  // RFC 3501 §6.4.4 (IMAP4rev1): \Recent; RFC 9051 Appendix E removed it, never set here
  RECENT: { flag: '\\Recent', present: true },
  OLD: { flag: '\\Recent', present: false },
};
const KEYS_WITH_ARGUMENTS = new Set(['NOT', 'OR', 'BODY', 'TEXT', 'HEADER', 'KEYWORD', 'UNKEYWORD', 'LARGER', 'SMALLER', 'UID', 'MODSEQ', 'OLDER', 'YOUNGER']);
const HEADER_KEYS: Record<string, string> = { FROM: 'From', TO: 'To', CC: 'Cc', BCC: 'Bcc', SUBJECT: 'Subject' };
const DATE_KEYS: Record<string, { field: 'internal' | 'sent'; comparison: 'before' | 'on' | 'since' }> = {
  BEFORE: { field: 'internal', comparison: 'before' },
  ON: { field: 'internal', comparison: 'on' },
  SINCE: { field: 'internal', comparison: 'since' },
  SENTBEFORE: { field: 'sent', comparison: 'before' },
  SENTON: { field: 'sent', comparison: 'on' },
  SENTSINCE: { field: 'sent', comparison: 'since' },
};

/** Parses what follows `SEARCH ` up to the end of the command. */
export function parseSearchProgram(s: CommandScanner): SearchProgram {
  let returnOptions: SearchReturnOption[] | undefined;
  if (s.acceptKeyword('RETURN')) {
    s.sp();
    const options = s.list(() => s.atom('a RETURN option').toUpperCase(), { allowEmpty: true, what: 'RETURN options' });
    for (const option of options) if (!RETURN_OPTIONS.has(option)) throw syntaxError(`Unknown RETURN option ${option}`);
    // RFC 4731 §3.1: RETURN () is RETURN (ALL)
    returnOptions = options.length === 0 ? ['ALL'] : (options as SearchReturnOption[]);
    s.sp();
  }
  let charset: string | undefined;
  if (s.acceptKeyword('CHARSET')) {
    s.sp();
    charset = s.astring('a charset').toString('latin1').toUpperCase();
    // RFC 9051 §6.4.4: an unsupported charset is NO [BADCHARSET (supported ones)]
    if (!(SEARCH_CHARSETS as readonly string[]).includes(charset))
      throw new ImapResponseError('NO', `Charset ${charset.slice(0, 40)} is not supported`, { code: { kind: 'BADCHARSET', charsets: SEARCH_CHARSETS }, userFault: true });
    s.sp();
  }
  const keys = [parseSearchKey(s)];
  while (!s.atEnd()) {
    s.sp();
    keys.push(parseSearchKey(s));
  }
  const criteria: SearchKey = keys.length === 1 ? (keys[0] as SearchKey) : { kind: 'and', keys };
  return { ...(returnOptions === undefined ? {} : { returnOptions }), ...(charset === undefined ? {} : { charset }), criteria };
}

function text(s: CommandScanner, what: string): string {
  return decodeUtf8(s.astring(what), what);
}

/** One search-key (RFC 9051 §9). */
export function parseSearchKey(s: CommandScanner): SearchKey {
  if (s.at(0x28)) {
    const keys = s.list(() => parseSearchKey(s), { what: 'search keys' });
    return keys.length === 1 ? (keys[0] as SearchKey) : { kind: 'and', keys };
  }
  const first = s.peek();
  // RFC 9051 §9: a bare sequence-set is a key; RFC 5182 §2.1: so is "$"
  if (first !== undefined && ((first >= 0x30 && first <= 0x39) || first === 0x2a || first === 0x24)) {
    return { kind: 'sequence-numbers', set: parseSequenceSet(s.token('a sequence set', '*:,$')) };
  }
  const name = s.atom('a search key').toUpperCase();
  const flag = FLAG_KEYS[name];
  if (flag !== undefined) return { kind: 'flag', ...flag };
  if (name === 'ALL') return { kind: 'all' };
  // RFC 3501 §6.4.4: NEW is RECENT UNSEEN
  if (name === 'NEW')
    return {
      kind: 'and',
      keys: [
        { kind: 'flag', flag: '\\Recent', present: true },
        { kind: 'flag', flag: '\\Seen', present: false },
      ],
    };
  const header = HEADER_KEYS[name];
  const date = DATE_KEYS[name];
  if (header === undefined && date === undefined && !KEYS_WITH_ARGUMENTS.has(name)) throw syntaxError(`Unknown search key ${name.slice(0, 40)}`);
  s.enter();
  let key: SearchKey;
  if (name === 'NOT') {
    s.sp();
    key = { kind: 'not', key: parseSearchKey(s) };
  } else if (name === 'OR') {
    s.sp();
    const left = parseSearchKey(s);
    s.sp();
    key = { kind: 'or', left, right: parseSearchKey(s) };
  } else {
    s.sp();
    if (header !== undefined) key = { kind: 'header', field: header, value: text(s, 'a search string') };
    else if (date !== undefined) key = { kind: 'date', ...date, date: parseSearchDate(decodeUtf8(s.astring('a date'), 'date')) };
    else key = parseKeyWithArgument(name, s);
  }
  s.leave();
  return key;
}

function parseKeyWithArgument(name: string, s: CommandScanner): SearchKey {
  switch (name) {
    case 'BODY':
    case 'TEXT':
      return { kind: 'text', where: name === 'BODY' ? 'body' : 'text', value: text(s, 'a search string') };
    case 'HEADER': {
      const field = s.astring('a header field name').toString('latin1');
      s.sp();
      return { kind: 'header', field, value: text(s, 'a search string') };
    }
    case 'KEYWORD':
    case 'UNKEYWORD': {
      // RFC 9051 §9: flag-keyword is an atom (no backslash: system flags are not keywords)
      const keyword = s.atom('a keyword');
      return { kind: 'flag', flag: keyword, present: name === 'KEYWORD' };
    }
    case 'LARGER':
    case 'SMALLER': {
      const octets = Number(s.number64('a size'));
      return { kind: 'size', comparison: name === 'LARGER' ? 'larger' : 'smaller', octets };
    }
    case 'UID':
      return { kind: 'uids', set: parseSequenceSet(s.token('a sequence set', '*:,$')) };
    case 'MODSEQ':
      return parseModseqKey(s);
    case 'OLDER':
    case 'YOUNGER': {
      // RFC 5032 §3: nz-number of seconds
      const seconds = s.number('a number of seconds');
      if (seconds === 0) throw syntaxError('OLDER/YOUNGER take a non-zero number');
      return { kind: 'age', comparison: name === 'OLDER' ? 'older' : 'younger', seconds };
    }
    default:
      throw syntaxError(`Unknown search key ${name.slice(0, 40)}`);
  }
}

/** RFC 7162 §7: search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer; ext = SP entry-name SP entry-type-req. */
function parseModseqKey(s: CommandScanner): SearchKey {
  if (s.at(0x22)) {
    const name = decodeUtf8(s.string('an entry name'), 'entry name');
    s.sp();
    const type = s.atom('an entry type').toLowerCase();
    if (type !== 'priv' && type !== 'shared' && type !== 'all') throw syntaxError('Entry type must be priv, shared or all');
    s.sp();
    return { kind: 'modseq', modseq: s.number64('a mod-sequence'), entry: { name, type } };
  }
  return { kind: 'modseq', modseq: s.number64('a mod-sequence') };
}
