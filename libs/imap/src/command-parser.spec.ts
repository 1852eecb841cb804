// Tests of command-parser.ts (with command-scanner.ts, command-arguments.ts,
// mailbox-commands.ts, message-commands.ts, fetch-items.ts and
// search-parser.ts behind it): the fixture file of good and bad commands,
// then the cases a fixture cannot state (literals, bigints, limits).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CommandReader, type RawCommand } from './command-reader';
import { isIdleDone, parseCommand } from './command-parser';
import { ImapResponseError } from './response-error';

/** Frames `wire` as the reader would (literals included). */
function frame(wire: string | Buffer): RawCommand {
  const events = new CommandReader().push(typeof wire === 'string' ? Buffer.from(wire, 'utf8') : wire);
  const command = events.find((e) => e.kind === 'command');
  if (command?.kind !== 'command') throw new Error(`not framed: ${JSON.stringify(events)}`);
  return command.command;
}

const rev2 = { utf8: true, delimiter: '/' };
const rev1 = { utf8: false, delimiter: '/' };
// bigints as "123n" and buffers as text, as the fixture file writes them
const plain = (_key: string, v: unknown): unknown =>
  typeof v === 'bigint' ? `${v}n` : (v as { type?: unknown })?.type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('latin1') : v;
const parse = (wire: string, options = rev2): unknown => JSON.parse(JSON.stringify(parseCommand(frame(wire), options), plain));

function refusal(wire: string, options = rev2): ImapResponseError {
  try {
    parseCommand(frame(wire), options);
  } catch (error) {
    if (error instanceof ImapResponseError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(wire)} to be refused`);
}

interface Fixtures {
  readonly good: readonly { readonly wire: string; readonly command: unknown; readonly rev1?: boolean }[];
  readonly bad: readonly { readonly wire: string; readonly error: string }[];
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/commands.json', import.meta.url), 'utf8')) as Fixtures;

describe('parseCommand', () => {
  it.each(fixtures.good)('parses $wire', ({ wire, command, rev1: old }) => {
    expect(parse(`${wire}\r\n`, old === true ? rev1 : rev2)).toEqual(command);
  });

  it.each(fixtures.bad)('refuses $wire', ({ wire, error }) => {
    const e = refusal(`${wire}\r\n`);
    expect(e.message).toBe(error);
    expect(e.userFault).toBe(true);
  });

  it('carries the tag of a refused command', () => {
    expect(refusal('x7 FETCH 1 (BODY[0])\r\n').tag).toBe('x7');
    expect(refusal('+bad NOOP\r\n').tag).toBeUndefined();
  });

  it('reads literals as astrings and APPEND messages (RFC 9051 §6.3.12)', () => {
    expect(parse('a LOGIN {4+}\r\nfred {6+}\r\nse cr3\r\n')).toEqual({ tag: 'a', kind: 'LOGIN', username: 'fred', password: 'se cr3' });
    expect(parse('a APPEND Sent (\\Seen $Junk) "05-Jan-2024 10:00:00 +0100" {5+}\r\nHello\r\n')).toEqual({
      tag: 'a',
      kind: 'APPEND',
      mailbox: 'Sent',
      messages: [{ flags: ['\\Seen', '$Junk'], content: 'Hello', binary: false, internalDate: { epochMs: Date.UTC(2024, 0, 5, 9), offsetMinutes: 60 } }],
    });
  });

  it('reads MULTIAPPEND, literal8 and UTF8 (RFC 3502, RFC 3516, RFC 6855)', () => {
    const command = parseCommand(frame('a APPEND INBOX {1+}\r\nA ~{2+}\r\n\0B UTF8 (~{1+}\r\nC)\r\n'), rev2);
    expect(command.kind === 'APPEND' && command.messages.map((m) => [m.content.toString('latin1'), m.binary])).toEqual([
      ['A', false],
      ['\0B', true],
      ['C', true],
    ]);
  });

  it('refuses NUL in a plain literal but not in literal8', () => {
    expect(refusal('a LOGIN {1+}\r\n\0 x\r\n').message).toBe('BAD [CLIENTBUG] NUL in a literal');
  });

  it('decodes modified UTF-7 names for IMAP4rev1 clients and UTF-8 for IMAP4rev2 (RFC 3501 §5.1.3, RFC 9051 §5.1)', () => {
    expect(parse('a SELECT "Entw&APw-rfe"\r\n', rev1)).toMatchObject({ mailbox: 'Entwürfe' });
    expect(parse('a SELECT "Entwürfe"\r\n', rev2)).toMatchObject({ mailbox: 'Entwürfe' });
    expect(parse('a SELECT inbox\r\n', rev1)).toMatchObject({ mailbox: 'INBOX' });
    expect(refusal('a SELECT "Entwürfe"\r\n', rev1).status).toBe('BAD');
  });

  it('bounds nesting and arguments', () => {
    expect(refusal(`a SEARCH ${'('.repeat(40)}ALL${')'.repeat(40)}\r\n`).message).toBe('BAD [LIMIT] Nesting deeper than 32');
    expect(refusal(`a SEARCH ${'NOT '.repeat(40)}ALL\r\n`).message).toBe('BAD [LIMIT] Nesting deeper than 32');
    expect(refusal(`a SEARCH ${'SEEN '.repeat(5000)}ALL\r\n`).message).toBe('BAD [LIMIT] More than 4096 arguments');
  });

  it('keeps mod-sequences as bigints (RFC 7162 §7: up to 2^63-1)', () => {
    const command = parseCommand(frame('a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 9223372036854775807 VANISHED)\r\n'), rev2);
    expect(command.kind === 'FETCH' && command.changedSince).toBe(9_223_372_036_854_775_807n);
    expect(refusal('a FETCH 1:* (FLAGS) (CHANGEDSINCE 9223372036854775808)\r\n').status).toBe('BAD');
  });

  it('recognizes DONE ending IDLE (RFC 2177 §3)', () => {
    expect(isIdleDone(frame('DONE\r\n'))).toBe(true);
    expect(isIdleDone(frame('done\r\n'))).toBe(true);
    expect(isIdleDone(frame('a NOOP\r\n'))).toBe(false);
  });
});
