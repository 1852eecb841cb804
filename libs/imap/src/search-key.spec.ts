// Tests of search-key.ts (RFC 9051 §6.4.4): the evaluator over a message view.
import { describe, expect, it } from 'vitest';
import { CommandReader } from './command-reader';
import { parseCommand } from './command-parser';
import { parseDateTime } from './imap-date';
import { compileSearch, containsCaseInsensitive, type SearchableMessage, type SearchKey } from './search-key';

function criteria(program: string): SearchKey {
  const events = new CommandReader().push(Buffer.from(`a SEARCH ${program}\r\n`));
  const event = events[0];
  if (event?.kind !== 'command') throw new Error('not framed');
  const command = parseCommand(event.command, { utf8: true });
  if (command.kind !== 'SEARCH') throw new Error('not SEARCH');
  return command.criteria;
}

const message = (overrides: Partial<SearchableMessage> & { flags?: string[]; headers?: Record<string, string[]> } = {}): SearchableMessage => ({
  sequenceNumber: 2,
  uid: 20,
  internalDate: parseDateTime('05-Jan-2024 23:30:00 -0500'),
  sentDate: parseDateTime('04-Jan-2024 10:00:00 +0100'),
  size: 1500,
  modseq: 7n,
  hasFlag: (flag) => (overrides.flags ?? ['\\Seen']).some((f) => f.toLowerCase() === flag.toLowerCase()),
  headerValues: (field) => (overrides.headers ?? { subject: ['Grüße aus Köln'], from: ['Alice <alice@example.org>'] })[field.toLowerCase()] ?? [],
  containsText: (_where, value) => value === 'ketchup',
  ...overrides,
});

const matches = (program: string, m = message()): boolean => compileSearch(criteria(program), { messageCount: 3, highestUid: 30, nowMs: Date.UTC(2024, 0, 6, 5, 30) })(m);

describe('compileSearch', () => {
  it('evaluates flags, AND, OR and NOT', () => {
    expect(matches('SEEN')).toBe(true);
    expect(matches('UNSEEN')).toBe(false);
    expect(matches('OR UNSEEN FLAGGED')).toBe(false);
    expect(matches('NOT (UNSEEN DELETED)')).toBe(true);
    expect(matches('KEYWORD $junk', message({ flags: ['$Junk'] }))).toBe(true);
  });

  it('compares dates by calendar day in their own zone (RFC 9051 §6.4.4)', () => {
    expect(matches('ON 5-Jan-2024')).toBe(true);
    expect(matches('SINCE 6-Jan-2024')).toBe(false);
    expect(matches('BEFORE 6-Jan-2024')).toBe(true);
    expect(matches('SENTON 4-Jan-2024')).toBe(true);
    expect(matches('SENTSINCE 1-Jan-2024', message({ sentDate: undefined }))).toBe(false);
  });

  it('matches header substrings case-insensitively, and an empty HEADER string by presence', () => {
    expect(matches('SUBJECT "grüsse"')).toBe(false);
    expect(matches('SUBJECT "GRÜSSE AUS"')).toBe(false);
    expect(matches('SUBJECT "grüße aus"')).toBe(true);
    expect(matches('FROM ALICE@EXAMPLE')).toBe(true);
    expect(matches('HEADER X-Spam ""')).toBe(false);
    expect(matches('HEADER From ""')).toBe(true);
    expect(containsCaseInsensitive('ABC', '')).toBe(true);
  });

  it('evaluates sizes, sets, MODSEQ, body text and age', () => {
    expect(matches('LARGER 1499 SMALLER 1501')).toBe(true);
    expect(matches('LARGER 1500')).toBe(false);
    expect(matches('2 UID 15:*')).toBe(true);
    expect(matches('1,3')).toBe(false);
    expect(matches('MODSEQ 7')).toBe(true);
    expect(matches('MODSEQ 8')).toBe(false);
    expect(matches('BODY ketchup')).toBe(true);
    expect(matches('YOUNGER 3600')).toBe(true);
    expect(matches('OLDER 60')).toBe(true);
  });

  it('refuses a sequence number beyond the mailbox when compiled', () => {
    expect(() => matches('4')).toThrow('No message with sequence number 4');
  });
});
