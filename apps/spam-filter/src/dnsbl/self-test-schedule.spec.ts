/** Unit tests of self-test-schedule.ts: a zone that fails its self-test is tested again early, backing off, until it passes. */
import type { Redis } from 'ioredis';
import type { DnsResolver } from '@mail/dns';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_RETEST_MS, startSelfTests } from './self-test-schedule';
import { ZoneHealth } from './zone-health';

/** A Redis that grants every lock and keeps what is set (enough for ZoneHealth and the schedule's lock). */
function fakeRedis(): Redis {
  const values = new Map<string, string>();
  return {
    set: async (key: string, value: string) => (values.set(key, value), 'OK'),
    mget: async (...keys: string[]) => keys.map((key) => values.get(key) ?? null),
  } as unknown as Redis;
}

/** A list answering its RFC 5782 test point only once `healthy()` says so (until then: timeouts, a slow resolver). */
function zoneResolver(healthy: () => boolean): DnsResolver & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: async (name: string) => {
      asked.push(name);
      if (!healthy()) return { status: 'timeout' };
      return name.startsWith('2.0.0.127.') ? { status: 'ok', records: [{ address: '127.0.0.2', ttl: 60 }] } : { status: 'nxdomain' };
    },
  } as unknown as DnsResolver & { readonly asked: string[] };
}

const log = { info: () => undefined, warn: () => undefined };
const intervalMs = 300_000;
const testPoint = '2.0.0.127.bl.test';

describe('startSelfTests', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('tests a failed zone again after 5 s, then twice as long each time, and uses it once it passes', async () => {
    let answering = false;
    const resolver = zoneResolver(() => answering);
    const health = new ZoneHealth(fakeRedis(), 3 * intervalMs);
    const schedule = startSelfTests({ redis: fakeRedis(), resolver, health, zones: [{ zone: 'bl.test', kind: 'ip' }], intervalMs, log });
    const tests = () => resolver.asked.filter((name) => name === testPoint).length;
    await vi.advanceTimersByTimeAsync(0);
    expect(tests()).toBe(1);
    expect(health.lastSeen().get('bl.test')?.healthy).toBe(false);

    await vi.advanceTimersByTimeAsync(FIRST_RETEST_MS);
    expect(tests()).toBe(2);
    await vi.advanceTimersByTimeAsync(2 * FIRST_RETEST_MS - 1);
    expect(tests()).toBe(2);
    answering = true;
    await vi.advanceTimersByTimeAsync(1);
    expect(tests()).toBe(3);
    expect(health.lastSeen().get('bl.test')?.healthy).toBe(true);
    // Healthy again: nothing until the next interval
    await vi.advanceTimersByTimeAsync(intervalMs - 3 * FIRST_RETEST_MS - 1);
    expect(tests()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(tests()).toBe(4);
    await schedule.stop();
  });

  it('stops retesting early once the next wait would reach the interval, and when stopped', async () => {
    const resolver = zoneResolver(() => false);
    const schedule = startSelfTests({ redis: fakeRedis(), resolver, health: new ZoneHealth(fakeRedis(), 3 * intervalMs), zones: [{ zone: 'bl.test', kind: 'ip' }], intervalMs: 30_000, log });
    const tests = () => resolver.asked.filter((name) => name === testPoint).length;
    // At start-up, then 5 s, 10 s (15 s in all), then 20 s would reach the interval: none until the interval's own test at 30 s
    await vi.advanceTimersByTimeAsync(29_999);
    expect(tests()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(tests()).toBe(4);
    await vi.advanceTimersByTimeAsync(FIRST_RETEST_MS);
    expect(tests()).toBe(5);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tests()).toBe(5);
  });
});
