// Tests of search-query.ts: whatever the client searches for, the query fits the messages.search contract.
import { SearchKey as StoreSearchKey } from '@mail/contracts';
import { parseCommand, type SearchKey } from '@mail/imap';
import { describe, expect, it } from 'vitest';
import { SelectedMailbox } from '../session/selected-mailbox';
import { storeQuery } from './search-query';

/** The SEARCH criteria of a command line. */
function criteria(text: string): SearchKey {
  const command = parseCommand({ lines: [Buffer.from(`a SEARCH ${text}`, 'latin1')], literals: [] }, { utf8: false, delimiter: '/' });
  if (command.kind !== 'SEARCH') throw new Error('not a SEARCH');
  return command.criteria;
}

describe('storeQuery', () => {
  const selected = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [1, 2, 3], 4, 9);
  const query = (text: string) => storeQuery(criteria(text), selected, Date.parse('2024-05-01T00:00:00Z'));

  it('matches nothing for a flag, header name, mod-sequence or size no message can have', () => {
    expect(query(`KEYWORD ${'k'.repeat(101)}`)).toEqual({ not: { all: true } });
    expect(query(`UNKEYWORD ${'k'.repeat(101)}`)).toEqual({ all: true });
    expect(query('KEYWORD $Junk')).toEqual({ flag: '$Junk', set: true });
    expect(query('HEADER "X:Y" z')).toEqual({ not: { all: true } });
    expect(query('MODSEQ 9223372036854775807')).toEqual({ not: { all: true } });
    expect(query('LARGER 9223372036854775807')).toEqual({ not: { all: true } });
    expect(query('SMALLER 9223372036854775807')).toEqual({ all: true });
  });

  it('nests an AND of more keys than the contract takes', () => {
    const keys = query(Array.from({ length: 250 }, (_, i) => `FROM a${i}`).join(' '));
    expect(StoreSearchKey.safeParse(keys).success).toBe(true);
    expect(JSON.stringify(keys).match(/"header"/g)?.length).toBe(250);
  });

  it('refuses text longer than the contract takes with NO [LIMIT] (RFC 5530 §3)', () => {
    expect(query(`TEXT "${'x'.repeat(1000)}"`)).toEqual({ text: 'text', contains: 'x'.repeat(1000) });
    expect(() => query(`SUBJECT "${'x'.repeat(1001)}"`)).toThrow(expect.objectContaining({ status: 'NO', code: 'LIMIT', text: 'Search text longer than 1000 characters' }));
  });
});
