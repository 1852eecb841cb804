// Tests of screening-cache.ts: answers reused per client IP for their TTL, bounded, failures never kept.
import { describe, expect, it } from 'vitest';
import type { ClientScreening, ScreenOutcome } from './client-screening';
import { CachedClientScreening } from './screening-cache';

function setup(answers: Record<string, ScreenOutcome>, maxEntries = 100) {
  const asked: string[] = [];
  let now = 0;
  const inner: ClientScreening = {
    screen: async (ip) => {
      asked.push(ip);
      return answers[ip] ?? { action: 'accept', ttlSeconds: 60 };
    },
  };
  const cache = new CachedClientScreening(inner, { maxEntries, now: () => now });
  return { cache, asked, advance: (ms: number) => (now += ms) };
}

const listed: ScreenOutcome = { action: 'reject', text: 'blocked', reasons: [], ttlSeconds: 10 };

describe('CachedClientScreening', () => {
  it('asks once per address while the answer holds, then again', async () => {
    const { cache, asked, advance } = setup({ '192.0.2.1': listed });
    expect(await cache.screen('192.0.2.1')).toBe(listed);
    advance(9_999);
    expect(await cache.screen('192.0.2.1')).toBe(listed);
    expect(asked).toEqual(['192.0.2.1']);
    advance(1);
    await cache.screen('192.0.2.1');
    expect(asked).toEqual(['192.0.2.1', '192.0.2.1']);
  });

  it('never keeps failures or answers that hold for no time', async () => {
    const { cache, asked } = setup({ '192.0.2.2': { action: 'unavailable', error: new Error('timeout') }, '192.0.2.3': { action: 'accept', ttlSeconds: 0 }, '192.0.2.4': { action: 'accept' } });
    for (const ip of ['192.0.2.2', '192.0.2.3', '192.0.2.4']) {
      await cache.screen(ip);
      await cache.screen(ip);
    }
    expect(asked).toEqual(['192.0.2.2', '192.0.2.2', '192.0.2.3', '192.0.2.3', '192.0.2.4', '192.0.2.4']);
    expect(cache.size).toBe(0);
  });

  it('shares one question among connections from one address at the same time', async () => {
    const { cache, asked } = setup({});
    await Promise.all([cache.screen('192.0.2.5'), cache.screen('192.0.2.5'), cache.screen('192.0.2.5')]);
    expect(asked).toEqual(['192.0.2.5']);
  });

  it('forgets the least recently used address beyond its size', async () => {
    const { cache, asked } = setup({}, 2);
    await cache.screen('192.0.2.6');
    await cache.screen('192.0.2.7');
    await cache.screen('192.0.2.6'); // used again: 192.0.2.7 is now the oldest
    await cache.screen('192.0.2.8');
    expect(cache.size).toBe(2);
    await cache.screen('192.0.2.6');
    await cache.screen('192.0.2.7');
    expect(asked).toEqual(['192.0.2.6', '192.0.2.7', '192.0.2.8', '192.0.2.7']);
  });
});
