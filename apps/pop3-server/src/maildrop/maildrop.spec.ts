// Tests of maildrop.ts: numbering, deletion marks, RSET and the summary.
import { describe, expect, it } from 'vitest';
import { Pop3ResponseError } from '@mail/pop3';
import { Maildrop, describeSummary } from './maildrop';

const entries = [
  { uid: 'u-1', size: 120, folder: 'INBOX', receivedAt: '2024-01-01T00:00:00Z' },
  { uid: 'u-2', size: 200, folder: 'INBOX', receivedAt: '2024-01-02T00:00:00Z' },
  { uid: 'u-3', size: 5, folder: 'Junk', receivedAt: '2024-01-03T00:00:00Z' },
];

function rejection(fn: () => unknown): Pop3ResponseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof Pop3ResponseError) return error;
    throw error;
  }
  throw new Error('expected a Pop3ResponseError');
}

describe('Maildrop', () => {
  it('numbers messages from 1 in listing order', () => {
    const drop = new Maildrop(entries);
    expect(drop.get(1)).toEqual({ number: 1, uid: 'u-1', size: 120, folder: 'INBOX' });
    expect(drop.get(3).uid).toBe('u-3');
    expect(drop.summary()).toEqual({ count: 3, octets: 325 });
  });

  it('rejects numbers outside the maildrop', () => {
    const drop = new Maildrop(entries);
    expect(rejection(() => drop.get(4)).text).toBe('no such message, only 3 messages in maildrop');
    expect(rejection(() => drop.get(0)).text).toContain('no such message');
    expect(rejection(() => new Maildrop(entries.slice(0, 1)).get(2)).text).toContain('only 1 message in');
  });

  it('hides marked messages and keeps the numbers of the others', () => {
    const drop = new Maildrop(entries);
    drop.markDeleted(2);
    expect(drop.visible().map((m) => m.number)).toEqual([1, 3]);
    expect(drop.summary()).toEqual({ count: 2, octets: 125 });
    expect(rejection(() => drop.get(2)).text).toBe('message 2 already deleted');
    expect(rejection(() => drop.markDeleted(2)).text).toBe('message 2 already deleted');
    expect(drop.deletedUids()).toEqual(['u-2']);
  });

  it('unmarks everything on reset', () => {
    const drop = new Maildrop(entries);
    drop.markDeleted(1);
    drop.markDeleted(3);
    expect(drop.reset()).toBe(2);
    expect(drop.deletedUids()).toEqual([]);
    expect(drop.summary().count).toBe(3);
  });

  it('describes a summary the way RFC 1939 does', () => {
    expect(describeSummary({ count: 2, octets: 320 })).toBe('2 messages (320 octets)');
    expect(describeSummary({ count: 1, octets: 5 })).toBe('1 message (5 octets)');
  });
});
