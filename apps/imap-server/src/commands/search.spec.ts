// Tests of search.ts: when a SEARCH is a CONDSTORE one, and the query its MODSEQ answer is computed over.
import { describe, expect, it } from 'vitest';
import { SelectedMailbox } from '../session/selected-mailbox';
import { searchesModseq, withinKnown } from './search';

const box = (uids: number[]) => new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, uids, 20, 40);

describe('searchesModseq', () => {
  it('finds MODSEQ anywhere in the tree (RFC 7162 §3.1.5)', () => {
    expect(searchesModseq({ kind: 'and', keys: [{ kind: 'all' }, { kind: 'not', key: { kind: 'or', left: { kind: 'all' }, right: { kind: 'modseq', modseq: 4n } } }] })).toBe(true);
    expect(searchesModseq({ kind: 'and', keys: [{ kind: 'flag', flag: '\\Seen', present: true }] })).toBe(false);
  });
});

describe('withinKnown', () => {
  it('limits the query to the UIDs up to the last one the client knows, joining a top-level AND', () => {
    expect(withinKnown({ and: [{ modseqAtLeast: 4 }] }, box([3, 9]))).toEqual({ and: [{ modseqAtLeast: 4 }, { uids: [{ first: 1, last: 9 }] }] });
    expect(withinKnown({ modseqAtLeast: 4 }, box([3, 9]))).toEqual({ and: [{ modseqAtLeast: 4 }, { uids: [{ first: 1, last: 9 }] }] });
  });

  it('matches nothing in a mailbox the client knows empty', () => {
    expect(withinKnown({ modseqAtLeast: 4 }, box([]))).toEqual({ not: { all: true } });
  });
});
