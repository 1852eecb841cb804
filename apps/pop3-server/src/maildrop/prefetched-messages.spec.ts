// Tests of prefetched-messages.ts: each message handed out once, batches added and cleared, old messages dropped.
import { describe, expect, it } from 'vitest';
import { PrefetchedMessages } from './prefetched-messages';

const batch = (...uids: string[]) => new Map(uids.map((uid) => [uid, Buffer.from(`body of ${uid}`)]));

describe('PrefetchedMessages', () => {
  it('hands out each message once', () => {
    const cache = new PrefetchedMessages();
    cache.add(batch('a', 'b'));
    expect(cache.take('a')?.toString()).toBe('body of a');
    expect(cache.take('a')).toBeUndefined();
    expect(cache.has('b')).toBe(true);
    expect(cache.octets).toBe('body of b'.length);
  });

  it('adds batches to what it holds until cleared', () => {
    const cache = new PrefetchedMessages();
    cache.add(batch('a', 'b'));
    cache.add(batch('c'));
    expect(cache.take('b')?.toString()).toBe('body of b');
    cache.clear();
    expect(cache.take('c')).toBeUndefined();
    expect(cache.octets).toBe(0);
  });

  it('does not serve a message older than its maximum age, and drops such messages when a batch comes', () => {
    let now = 0;
    const cache = new PrefetchedMessages(1_000, () => now);
    cache.add(batch('a', 'b', 'c'));
    now = 1_000;
    expect(cache.take('a')?.toString()).toBe('body of a');
    now = 1_001;
    expect(cache.take('b')).toBeUndefined();
    cache.add(batch('d'));
    expect(cache.has('c')).toBe(false);
    expect(cache.octets).toBe('body of d'.length);
  });

  it('counts a message held twice once, and keeps its first copy', () => {
    const cache = new PrefetchedMessages();
    cache.add(batch('a', 'b'));
    cache.add(new Map([['a', Buffer.from('another copy of a')]]));
    expect(cache.octets).toBe('body of a'.length + 'body of b'.length);
    expect(cache.take('a')?.toString()).toBe('body of a');
    expect(cache.octets).toBe('body of b'.length);
  });
});
