/**
 * Per-domain concurrency shared by relay replicas (OUTBOUND_DOMAIN_CONCURRENCY
 * in Redis): a limit of one, and a server that holds every DATA command until
 * the test lets it go. A rolling restart: the old replica holds the domain's
 * slot for a transaction it is draining, the new replica takes the rest of
 * the queue and finds the domain busy. Never two transactions at once; the
 * message that finds the domain busy waits (not a failure, not a deferral)
 * and goes as soon as the slot is free. The slot and message leases
 * themselves expire when their holder stops refreshing them.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedisPrefix, testRedisUrl, waitFor, type ServiceProcess } from '@mail/testing';
import { RedisDomainSlots } from '../src/delivery/domain-slots';
import { RedisMessageLocks } from '../src/queue/message-lock';
import { startRelayHarness, type RelayHarness } from './relay-harness';

/** Queue ids a replica logged `recipient <outcome>` for (one JSON line per recipient). */
function queueIdsLogged(replica: ServiceProcess, outcome: 'delivered' | 'throttled'): Set<string> {
  const ids = new Set<string>();
  for (const line of replica.output().split('\n')) {
    try {
      const entry = JSON.parse(line) as { msg?: string; queueId?: string };
      if (entry.msg === `recipient ${outcome}` && entry.queueId) ids.add(entry.queueId);
    } catch {
      // not a log line (or one still being written)
    }
  }
  return ids;
}

describe('per-domain concurrency across replicas', () => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(['127.0.0.2'], { OUTBOUND_DOMAIN_CONCURRENCY: '1', OUTBOUND_THROTTLE_DELAY: '300ms', OUTBOUND_CONNECTION_IDLE: '0s' });
    h.dns.add('busy.test', { type: 'MX', preference: 10, exchange: 'mx.busy.test' });
    h.dns.add('mx.busy.test', { type: 'A', address: '127.0.0.2' });
    h.sink('127.0.0.2').setBehaviour({ holdData: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps one transaction at a time for the domain while one replica drains and another takes over, and delivers everything', async () => {
    const sink = h.sink('127.0.0.2');
    const old = h.relay;
    // Which replica does what is arranged, not left to JetStream: the first
    // message goes while the old replica is the only one, so it holds the slot.
    const first = await h.queue(['a@busy.test']);
    await waitFor(() => sink.heldCount === 1, { description: 'the first transaction held at the server' });
    const replacement = await h.startReplica();
    // SIGTERM: the old replica stops taking messages but drains the held
    // transaction (and keeps its slot). It unsubscribes its pull in the same
    // event-loop turn as it logs "shutting down"; by the time that line has
    // reached us and the next bodies are stored, only the new replica pulls.
    // (A message the old one still caught would be throttled there and come
    // back to the new one after OUTBOUND_THROTTLE_DELAY.)
    const oldExited = old.stop('SIGTERM', 60_000);
    await waitFor(() => old.output().includes('"msg":"shutting down"'), { description: 'the old replica draining' });
    const later = [await h.queue(['b@busy.test']), await h.queue(['c@busy.test'])];
    await waitFor(() => later.every((id) => queueIdsLogged(replacement, 'throttled').has(id)), {
      timeoutMs: 30_000,
      description: 'the new replica throttled by the slot the old one holds',
    });
    expect(sink.heldCount).toBe(1);
    expect(sink.peakTransactions).toBe(1);

    for (let delivered = 0; delivered < 3; delivered++) {
      await waitFor(() => sink.heldCount === 1, { description: `transaction ${delivered + 1} held` });
      sink.releaseHeld();
      await waitFor(() => sink.delivered().length === delivered + 1, { description: `delivery ${delivered + 1}` });
    }
    for (const id of [first, ...later]) await h.waitForEvents(id, 1, 'delivered');
    expect(await oldExited).toBe(0);
    expect(sink.peakTransactions).toBe(1);
    expect(h.events.filter((e) => [first, ...later].includes(e.queueId) && e.outcome !== 'delivered')).toEqual([]);
    expect(
      sink
        .delivered()
        .flatMap((t) => t.rcptTo)
        .sort(),
    ).toEqual(['a@busy.test', 'b@busy.test', 'c@busy.test']);
    expect([...queueIdsLogged(old, 'delivered')]).toEqual([first]);
    // Its log lines come through a pipe and may trail the delivery events
    await waitFor(() => later.every((id) => queueIdsLogged(replacement, 'delivered').has(id)), { description: 'the new replica logging both deliveries' });
    expect([...queueIdsLogged(replacement, 'delivered')].sort()).toEqual([...later].sort());
  });
});

describe('leases in Redis', () => {
  let redis: Redis;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const prefix = await createTestRedisPrefix('relay-leases');
    cleanup = prefix.cleanup;
    redis = new Redis(testRedisUrl, { keyPrefix: prefix.prefix });
  });
  afterAll(async () => {
    redis?.disconnect();
    await cleanup?.();
  });

  it('frees a domain slot whose holder stopped refreshing it (a crashed replica)', async () => {
    // What a replica that crashed mid-delivery leaves behind: a slot with a lease nobody refreshes
    await redis.zadd(RedisDomainSlots.key('busy.test'), Date.now() + 300, 'crashed-replica');
    const slots = new RedisDomainSlots(redis, 1, 60_000);
    expect(await slots.acquire(['busy.test'])).toBeUndefined();
    const lease = await waitFor(async () => (await slots.acquire(['busy.test'])) ?? false, { timeoutMs: 5000, description: 'the expired slot free again' });
    expect(await slots.acquire(['busy.test'])).toBeUndefined();
    await lease.release();
    expect(await slots.acquire(['busy.test'])).toBeDefined();
  });

  it('lets a message lease run out when its holder is gone, and only the holder releases it', async () => {
    await redis.set(RedisMessageLocks.key('Q-lease-test'), 'crashed-replica', 'PX', 300);
    const locks = new RedisMessageLocks(redis, 60_000);
    expect(await locks.acquire('Q-lease-test')).toBeUndefined();
    const lease = await waitFor(async () => (await locks.acquire('Q-lease-test')) ?? false, { timeoutMs: 5000, description: 'the expired lease free again' });
    expect(await locks.remainingMs('Q-lease-test')).toBeGreaterThan(59_000);
    await redis.set(RedisMessageLocks.key('Q-lease-test'), 'someone-else', 'PX', 60_000);
    await lease.release();
    expect(await redis.get(RedisMessageLocks.key('Q-lease-test'))).toBe('someone-else');
  });
});
