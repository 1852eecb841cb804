/** Unit tests of verified-credentials.ts: what is kept, for how long, how many, and what a password change does. */
import { describe, expect, it } from 'vitest';
import { VerifiedCredentials } from './verified-credentials';

const hashA = 'scrypt$16384$8$1$c2FsdEE=$a2V5QQ==';
const hashB = 'scrypt$16384$8$1$c2FsdEI=$a2V5Qg==';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('VerifiedCredentials', () => {
  it('answers for the same stored hash and password only', () => {
    const cache = new VerifiedCredentials({ ttlMs: 60_000, maxEntries: 10 });
    cache.add(hashA, 'right');
    expect(cache.has(hashA, 'right')).toBe(true);
    expect(cache.has(hashA, 'Right')).toBe(false);
    expect(cache.has(hashA, '')).toBe(false);
    // A new hash (the password was changed, or another user) misses, even with the same password
    expect(cache.has(hashB, 'right')).toBe(false);
  });

  it('keeps no password in the clear', () => {
    const cache = new VerifiedCredentials({ ttlMs: 60_000, maxEntries: 10 });
    cache.add(hashA, 'correct horse battery staple');
    const kept = JSON.stringify([...(cache as unknown as { expiries: Map<string, number> }).expiries.keys()]);
    expect(kept).not.toContain('correct horse');
    expect(kept).not.toContain(hashA);
  });

  it('does not confuse where the hash ends and the password begins', () => {
    const cache = new VerifiedCredentials({ ttlMs: 60_000, maxEntries: 10 });
    cache.add('ab', 'c');
    expect(cache.has('a', 'bc')).toBe(false);
    expect(cache.has('ab', 'c')).toBe(true);
  });

  it('stops answering once the TTL has passed since the verification', () => {
    const time = clock();
    const cache = new VerifiedCredentials({ ttlMs: 1_000, maxEntries: 10 }, time.now);
    cache.add(hashA, 'pw');
    time.advance(999);
    expect(cache.has(hashA, 'pw')).toBe(true);
    time.advance(1);
    expect(cache.has(hashA, 'pw')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('a hit does not extend the TTL: only a new verification does', () => {
    const time = clock();
    const cache = new VerifiedCredentials({ ttlMs: 1_000, maxEntries: 10 }, time.now);
    cache.add(hashA, 'pw');
    time.advance(600);
    expect(cache.has(hashA, 'pw')).toBe(true);
    time.advance(600);
    expect(cache.has(hashA, 'pw')).toBe(false);
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = new VerifiedCredentials({ ttlMs: 60_000, maxEntries: 2 });
    cache.add(hashA, 'one');
    cache.add(hashA, 'two');
    expect(cache.has(hashA, 'one')).toBe(true); // "one" is now the most recently used
    cache.add(hashA, 'three');
    expect(cache.size).toBe(2);
    expect(cache.has(hashA, 'two')).toBe(false);
    expect(cache.has(hashA, 'one')).toBe(true);
    expect(cache.has(hashA, 'three')).toBe(true);
  });

  it('keeps nothing when the TTL or the size is 0', () => {
    for (const limits of [
      { ttlMs: 0, maxEntries: 10 },
      { ttlMs: 60_000, maxEntries: 0 },
    ]) {
      const cache = new VerifiedCredentials(limits);
      cache.add(hashA, 'pw');
      expect(cache.has(hashA, 'pw')).toBe(false);
      expect(cache.size).toBe(0);
    }
  });
});
