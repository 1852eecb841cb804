// Arguments of the commands on messages of the selected mailbox (RFC 9051
// §6.4): SEARCH, FETCH, STORE (RFC 7162 UNCHANGEDSINCE), COPY, MOVE (RFC
// 6851) and UID EXPUNGE (RFC 4315 §2.1), each also behind UID (§6.4.9).

import { parseFlag, parseFlagList, parseMailbox, parseSequenceSetArgument, type CommandParseOptions } from './command-arguments';
import type { ImapCommand, StoreOperation } from './command';
import type { CommandScanner } from './command-scanner';
import { parseFetchRequest } from './fetch-items';
import { syntaxError } from './response-error';
import { parseSearchProgram } from './search-parser';

type Untagged<T> = T extends unknown ? Omit<T, 'tag'> : never;
type Parsed = Untagged<ImapCommand>;

/** The commands UID may prefix (RFC 9051 §9: uid = "UID" SP (copy / move / fetch / search / store / uid-expunge)). */
export const UID_COMMANDS = new Set(['COPY', 'MOVE', 'FETCH', 'SEARCH', 'STORE', 'EXPUNGE']);

/** Parses a message command after its name; `uid` when it came behind UID. */
export function parseMessageCommand(name: string, uid: boolean, s: CommandScanner, options: CommandParseOptions): Parsed {
  switch (name) {
    case 'SEARCH':
      s.sp();
      return { kind: 'SEARCH', uid, ...parseSearchProgram(s) };
    case 'FETCH': {
      s.sp();
      const sequenceSet = parseSequenceSetArgument(s);
      s.sp();
      return { kind: 'FETCH', uid, sequenceSet, ...parseFetchRequest(s, uid) };
    }
    case 'STORE':
      return parseStore(uid, s);
    case 'COPY':
    case 'MOVE': {
      s.sp();
      const sequenceSet = parseSequenceSetArgument(s);
      s.sp();
      const mailbox = parseMailbox(s, options);
      s.end();
      return { kind: name, uid, sequenceSet, mailbox };
    }
    case 'EXPUNGE': {
      if (!uid) {
        s.end();
        return { kind: 'EXPUNGE' };
      }
      // RFC 4315 §2.1: UID EXPUNGE sequence-set
      s.sp();
      const uids = parseSequenceSetArgument(s);
      s.end();
      return { kind: 'EXPUNGE', uids };
    }
    default:
      throw syntaxError(`Unknown command ${uid ? 'UID ' : ''}${name.slice(0, 40)}`);
  }
}

/** RFC 9051 §9: store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags. */
function parseStore(uid: boolean, s: CommandScanner): Parsed {
  s.sp();
  const sequenceSet = parseSequenceSetArgument(s);
  s.sp();
  let unchangedSince: bigint | undefined;
  if (s.at(0x28)) {
    // RFC 7162 §3.1.3: store-modifier = "UNCHANGEDSINCE" SP mod-sequence-valzer
    s.list(
      () => {
        if (!s.acceptKeyword('UNCHANGEDSINCE')) throw syntaxError('Unknown STORE modifier');
        s.sp();
        unchangedSince = s.number64('a mod-sequence');
      },
      { what: 'store modifiers' },
    );
    s.sp();
  }
  const name = s.token('FLAGS, +FLAGS or -FLAGS', '+-').toUpperCase();
  const match = /^([+-]?)FLAGS(\.SILENT)?$/.exec(name);
  if (match === null) throw syntaxError('Expected FLAGS, +FLAGS or -FLAGS');
  s.sp();
  // RFC 9051 §9: store-att-flags take a flag-list or flags separated by SP
  let flags: string[];
  if (s.at(0x28)) flags = parseFlagList(s);
  else {
    flags = [parseFlag(s)];
    while (!s.atEnd()) {
      s.sp();
      flags.push(parseFlag(s));
    }
    if (flags.includes('\\Recent')) throw syntaxError('\\Recent cannot be set');
  }
  s.end();
  const operation: StoreOperation = { action: match[1] === '+' ? 'add' : match[1] === '-' ? 'remove' : 'replace', silent: match[2] !== undefined, flags };
  return { kind: 'STORE', uid, sequenceSet, operation, ...(unchangedSince === undefined ? {} : { unchangedSince }) };
}
