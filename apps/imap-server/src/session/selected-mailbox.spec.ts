// Tests of selected-mailbox.ts: sequence numbers and UIDs as the client was told them, and the flag states it was told.
import { parseSequenceSet } from '@mail/imap';
import { describe, expect, it } from 'vitest';
import { SelectedMailbox, uidRanges } from './selected-mailbox';

const mailbox = () => new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 9, 10], 11, 40);

describe('SelectedMailbox', () => {
  it('remembers the flag states the session itself reported above what it has taken in, and forgets them once taken in', () => {
    const box = mailbox();
    box.noteReported(5, 42);
    box.noteReported(9, 40); // not newer than highestModseq 40: cannot come back from messages.changes
    box.noteReported(5, 41); // older than the state already noted
    expect([box.wasReported({ uid: 5, modseq: 42 }), box.wasReported({ uid: 5, modseq: 41 })]).toEqual([true, true]);
    // RFC 9051 §7.5.2: a later state (another session's change) was not reported
    expect([box.wasReported({ uid: 5, modseq: 43 }), box.wasReported({ uid: 9, modseq: 43 })]).toEqual([false, false]);
    box.noteReported(10, 45);
    box.takenInUpTo(43);
    expect(box.highestModseq).toBe(43);
    expect([box.wasReported({ uid: 5, modseq: 42 }), box.wasReported({ uid: 10, modseq: 45 })]).toEqual([false, true]);
  });

  it('maps sequence numbers and UIDs both ways', () => {
    const box = mailbox();
    expect([box.uidAt(1), box.uidAt(4), box.uidAt(5)]).toEqual([3, 10, undefined]);
    expect([box.seqOf(9), box.seqOf(4)]).toEqual([3, undefined]);
  });

  it('resolves UID sets to the UIDs that exist and refuses sequence numbers past EXISTS (RFC 9051 §6.4.9)', () => {
    const box = mailbox();
    expect(box.resolve(parseSequenceSet('4:9,20:*'), true)).toEqual([
      { seq: 2, uid: 5 },
      { seq: 3, uid: 9 },
      { seq: 4, uid: 10 },
    ]);
    expect(box.resolve(parseSequenceSet('2,4'), false).map((r) => r.uid)).toEqual([5, 10]);
    expect(() => box.resolve(parseSequenceSet('5'), false)).toThrow(/sequence number 5/);
  });

  it('reports expunges from the highest number down and renumbers (RFC 9051 §7.5.1)', () => {
    const box = mailbox();
    expect(box.remove([3, 9, 42])).toEqual([3, 1]);
    expect(box.exists).toBe(2);
    expect([box.uidAt(1), box.uidAt(2)]).toEqual([5, 10]);
  });

  it('appends only UIDs above the last one and moves UIDNEXT', () => {
    const box = mailbox();
    box.append([12, 2, 11]);
    expect(box.exists).toBe(6);
    expect(box.lastUid).toBe(12);
    expect(box.uidNext).toBe(13);
    expect(box.knownWithin([{ first: 10, last: 11 }])).toEqual([10, 11]);
  });

  it('leaves out of a UID set the UIDs the client still knows (VANISHED (EARLIER), RFC 7162 §3.2.5.1)', () => {
    const box = mailbox(); // UIDs 3 5 9 10
    expect(box.unknownWithin([1, 12])).toEqual([1, 2, 4, 4, 6, 8, 11, 12]);
    expect(box.unknownWithin([3, 3, 5, 5])).toEqual([]);
    expect(box.unknownWithin([1, 2, 4, 4, 20, 30])).toEqual([1, 2, 4, 4, 20, 30]);
    expect(box.unknownWithin([9, 11])).toEqual([11, 11]);
    expect(box.unknownWithin([])).toEqual([]);
  });

  it('refuses changes in a mailbox opened with EXAMINE', () => {
    const box = new SelectedMailbox({ name: 'INBOX', readOnly: true, uidValidity: 7 }, [], 1, 0);
    expect(() => box.assertWritable()).toThrow(/read-only/);
  });
});

describe('uidRanges', () => {
  it('joins runs of UIDs', () => {
    expect(uidRanges([1, 2, 3, 7, 9, 10])).toEqual([
      { first: 1, last: 3 },
      { first: 7, last: 7 },
      { first: 9, last: 10 },
    ]);
  });
});
