// Property tests of command-parser.ts: commands built from the grammar's own
// words (so deep paths are reached) and mutated lines parse into a typed
// command or an ImapResponseError — never another exception, never a hang.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './command-parser';
import { ImapResponseError } from './response-error';

const NAMES = [
  'FETCH',
  'UID FETCH',
  'SEARCH',
  'UID SEARCH',
  'STORE',
  'UID STORE',
  'COPY',
  'MOVE',
  'UID EXPUNGE',
  'SELECT',
  'EXAMINE',
  'LIST',
  'LSUB',
  'STATUS',
  'APPEND',
  'CREATE',
  'RENAME',
  'LOGIN',
  'AUTHENTICATE',
  'ENABLE',
  'ID',
  'SETQUOTA',
  'GETQUOTA',
  'GETQUOTAROOT',
  'NOOP',
];
const TOKENS = [
  '1',
  '1:*',
  '$',
  '*',
  '0',
  '4294967296',
  '2,4:6',
  'ALL',
  'FAST',
  'FULL',
  'FLAGS',
  'BODY',
  'BODY[]',
  'BODY.PEEK[HEADER.FIELDS (A B)]',
  'BODY[1.2.MIME]',
  'BINARY[1]',
  'BINARY.SIZE[1]',
  '<0.10>',
  'RETURN',
  '(MIN MAX)',
  'CHARSET',
  'UTF-8',
  'OR',
  'NOT',
  'SEEN',
  'HEADER',
  'SUBJECT',
  'SINCE',
  '1-Jan-2024',
  'MODSEQ',
  '9223372036854775807',
  'UID',
  'LARGER',
  '(',
  ')',
  '"',
  '"x"',
  'INBOX',
  '+FLAGS.SILENT',
  '(\\Seen)',
  '\\Deleted',
  'CONDSTORE',
  '(QRESYNC (1 2 1:5 (1 2)))',
  'RETURN (STATUS (MESSAGES))',
  '(SUBSCRIBED)',
  'USE',
  '(\\Junk)',
  'NIL',
  '=',
  'AGZyZWQ=',
  '"05-Jan-2024 10:00:00 +0100"',
  '(UNCHANGEDSINCE 5)',
  '(CHANGEDSINCE 1 VANISHED)',
  '&APw-',
  'Entwürfe',
  '%',
];
const line = fc.oneof(
  fc
    .tuple(fc.constantFrom(...NAMES), fc.array(fc.constantFrom(...TOKENS), { maxLength: 10 }), fc.array(fc.constantFrom(' ', ''), { maxLength: 10 }))
    .map(([name, tokens, seps]) => `t ${name} ${tokens.map((t, i) => t + (seps[i] ?? ' ')).join('')}`.trimEnd()),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
);

describe('parseCommand (fuzz)', () => {
  it('returns a typed command or throws ImapResponseError', () => {
    fc.assert(
      fc.property(line, fc.boolean(), (text, utf8) => {
        try {
          const command = parseCommand({ lines: [Buffer.from(text, 'utf8')], literals: [] }, { utf8, delimiter: '/' });
          expect(command.tag).toBe('t');
        } catch (error) {
          expect(error).toBeInstanceOf(ImapResponseError);
        }
      }),
    );
  });
});
