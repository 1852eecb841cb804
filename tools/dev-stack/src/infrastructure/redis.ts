/**
 * Redis: usable when PING answers PONG. Started locally as
 * `redis-server --port <port> --bind 127.0.0.1 --save "" --dir .data/redis`
 * (no snapshots: the cache is disposable).
 */
import { mkdir } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { findBinary } from '../binaries';
import { errorText } from '../launch-error';
import { choosePort, loopback, preferredPort } from '../ports';
import { workspaceRoot } from '@mail/launcher';
import { dataDirs } from '../workspace';
import { probeTimeoutMs, type InfrastructureKind, type ProbeResult } from './infrastructure';
import { waitForServer } from './wait-for-server';

const standardPort = 6379;

/** Connects without retrying and sends PING. */
export async function probeRedis(url: string): Promise<ProbeResult> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: probeTimeoutMs,
    commandTimeout: probeTimeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects with "Connection is closed."; the socket error says why.
  let socketError: unknown;
  client.on('error', (error: unknown) => (socketError ??= error));
  try {
    await client.connect();
    const reply = await client.ping();
    return reply === 'PONG' ? { ok: true } : { ok: false, reason: `answered PING with ${reply}` };
  } catch (error) {
    return { ok: false, reason: `cannot connect (${errorText(socketError ?? error)})` };
  } finally {
    client.disconnect();
  }
}

/** URL of a local server on `port`, keeping the database number of the configured URL. */
export function localRedisUrl(configuredUrl: string, port: number): string {
  let database = '';
  try {
    database = /^\/\d+$/.test(new URL(configuredUrl).pathname) ? new URL(configuredUrl).pathname : '';
  } catch {
    // Unparseable: the default database.
  }
  return `redis://${loopback}:${port}${database}`;
}

export const redis: InfrastructureKind = {
  key: 'redis',
  title: 'Redis',
  envVar: 'REDIS_URL',
  defaultUrl: `redis://${loopback}:${standardPort}`,
  debianPackage: 'redis-server',
  dataDir: dataDirs.redis,
  probe: probeRedis,
  locate(env) {
    const binary = findBinary('redis-server', env);
    if (binary === undefined) return undefined;
    return async ({ group, configuredUrl }) => {
      await mkdir(dataDirs.redis, { recursive: true });
      const port = await choosePort(preferredPort(configuredUrl, standardPort));
      const child = group.start({
        name: 'redis',
        command: binary,
        args: ['--port', String(port), '--bind', loopback, '--save', '', '--dir', dataDirs.redis],
        cwd: workspaceRoot,
        printOutput: false,
        stopTimeoutMs: 10_000,
        tier: 0,
      });
      const url = localRedisUrl(configuredUrl, port);
      await waitForServer(child, () => probeRedis(url), 15_000);
      return url;
    };
  },
};
