// Tests of prefetched-messages.ts: each message handed out once, a new batch replaces the old, an old batch is dropped.
import { describe, expect, it } from 'vitest';
import { PrefetchedMessages } from './prefetched-messages';

const batch = (...uids: string[]) => new Map(uids.map((uid) => [uid, Buffer.from(`body of ${uid}`)]));

describe('PrefetchedMessages', () => {
  it('hands out each message once', () => {
    const cache = new PrefetchedMessages();
    cache.replace(batch('a', 'b'));
    expect(cache.take('a')?.toString()).toBe('body of a');
    expect(cache.take('a')).toBeUndefined();
    expect(cache.octets).toBe('body of b'.length);
  });

  it('holds one batch at a time', () => {
    const cache = new PrefetchedMessages();
    cache.replace(batch('a', 'b'));
    cache.replace(batch('c'));
    expect(cache.take('b')).toBeUndefined();
    expect(cache.take('c')?.toString()).toBe('body of c');
  });

  it('drops a batch older than its maximum age', () => {
    let now = 0;
    const cache = new PrefetchedMessages(1_000, () => now);
    cache.replace(batch('a', 'b'));
    now = 1_000;
    expect(cache.take('a')?.toString()).toBe('body of a');
    now = 1_001;
    expect(cache.take('b')).toBeUndefined();
    expect(cache.octets).toBe(0);
  });
});
