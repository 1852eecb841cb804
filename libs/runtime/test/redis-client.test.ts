/**
 * The services' Redis client against the real Redis, reached through a
 * proxy that the tests cut or stall: keys under the prefix, an outage
 * logged once (and its end once), readiness failing or only degraded as the
 * service's Redis use says, a command that gets no answer rejected after the
 * command timeout but one answered while the process was busy taken, and a
 * close that leaves nothing reconnecting.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createTestRedisPrefix, testRedisUrl, waitFor } from '@mail/testing';
import { createLogger, HealthChecks } from '@mail/telemetry';
import type { RedisUse } from '@mail/service-catalog';
import { connectServiceRedis, REDIS_COMMAND_TIMEOUT_MS, type ServiceRedis } from '../src/redis-client';
import { startRedisProxy, type RedisProxy } from './redis-proxy';

interface LogLine {
  level: string;
  msg: string;
}

describe('the service Redis client', () => {
  let proxy: RedisProxy;
  let prefix: Awaited<ReturnType<typeof createTestRedisPrefix>>;
  const opened: ServiceRedis[] = [];
  const lines: LogLine[] = [];

  /** A client through the proxy (or straight to `url`). */
  function open(use: RedisUse = 'required', url = proxy.url): { redis: ServiceRedis; health: HealthChecks } {
    const health = new HealthChecks();
    const log = createLogger('redis-client-test', 'info', { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const redis = connectServiceRedis({ url, keyPrefix: prefix.prefix, connectionName: 'redis-client-test', use, log, health });
    opened.push(redis);
    return { redis, health };
  }
  const logged = (text: RegExp) => lines.filter((line) => text.test(line.msg));

  beforeEach(async () => {
    lines.length = 0;
    prefix = await createTestRedisPrefix('runtime-redis');
    proxy = await startRedisProxy(testRedisUrl);
  });
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((redis) => redis.close()));
    await proxy?.close();
    await prefix?.cleanup();
  });

  it('keeps its keys under the prefix and is ready while Redis answers', async () => {
    const { redis, health } = open();
    await redis.client.set('greeting', 'hello');
    const plain = new Redis(testRedisUrl);
    try {
      expect(await plain.get(`${prefix.prefix}greeting`)).toBe('hello');
    } finally {
      plain.disconnect();
    }
    expect(await health.readiness()).toEqual({ ready: true, failures: {} });
  });

  it('logs an outage once however long it lasts, and its end once', async () => {
    const { redis } = open();
    await redis.client.ping();
    let failedAttempts = 0;
    redis.client.on('error', () => failedAttempts++);
    await proxy.cut();
    await waitFor(() => failedAttempts >= 4, { description: 'several failed reconnection attempts' });
    await Promise.allSettled([redis.client.get('a'), redis.client.get('b')]);
    expect(logged(/^Redis unreachable/)).toHaveLength(1);
    expect(logged(/^Redis unreachable/)[0]?.level).toBe('warn');
    await proxy.restore();
    await waitFor(async () => (await redis.client.ping().catch(() => undefined)) === 'PONG', { description: 'the client to reconnect' });
    expect(logged(/^Redis reachable again/)).toHaveLength(1);
  });

  it('is not ready without Redis when it requires it, and ready but degraded when it fails open', async () => {
    const required = open('required');
    const failOpen = open('fail-open');
    await Promise.all([required.redis.client.ping(), failOpen.redis.client.ping()]);
    await proxy.cut();
    const [strict, lenient] = await Promise.all([required.health.readiness(), failOpen.health.readiness()]);
    expect(strict.ready).toBe(false);
    expect(strict.failures['redis']).toBeDefined();
    expect(lenient.ready).toBe(true);
    expect(lenient.degraded?.['redis']).toBeDefined();
  });

  it('rejects a command Redis does not answer once the command timeout has passed', async () => {
    const { redis } = open();
    await redis.client.ping();
    proxy.stall();
    const started = performance.now();
    await expect(redis.client.get('never-answered')).rejects.toThrow(/timed out/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(REDIS_COMMAND_TIMEOUT_MS - 5);
    await proxy.restore();
    expect(await redis.client.ping()).toBe('PONG');
  });

  it('takes an answer that arrived while the process was busy past the command timeout', async () => {
    // Straight to Redis: the proxy runs in this process, and would be as busy
    const { redis } = open('required', testRedisUrl);
    await redis.client.set('answered-in-time', 'yes');
    const pending = [redis.client.get('answered-in-time'), redis.client.pipeline().get('answered-in-time').exec()];
    // The event loop busy past the deadline, as a burst of connections keeps it on a loaded machine; Redis answers meanwhile
    const busyUntil = performance.now() + REDIS_COMMAND_TIMEOUT_MS * 2;
    while (performance.now() < busyUntil);
    expect(await Promise.all(pending)).toEqual(['yes', [[null, 'yes']]]);
  });

  it('closes without reconnecting afterwards', async () => {
    const { redis } = open();
    await redis.client.ping();
    await redis.close();
    await waitFor(() => redis.client.status === 'end', { description: 'the connection to end' });
    await expect(redis.client.ping()).rejects.toThrow(/closed/);
  });
});
