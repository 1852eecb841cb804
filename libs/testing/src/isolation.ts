/**
 * Isolated real resources for one test: a NATS namespace (own subjects,
 * streams and bucket), a fresh PostgreSQL database, a Redis key prefix.
 * Each comes with a cleanup that removes what the test created.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { Redis } from 'ioredis';

export const testNatsUrl = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const testPostgresUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** A bus namespace of its own; cleanup deletes every stream and bucket (object store, key-value) under it. */
export async function createTestNamespace(label = 't'): Promise<{ namespace: string; cleanup(): Promise<void> }> {
  const namespace = `${label}_${uniqueSuffix()}`.toLowerCase();
  return {
    namespace,
    async cleanup() {
      const nc = await connect({ servers: testNatsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        const prefix = namespace.toUpperCase();
        for await (const stream of jsm.streams.list()) {
          const name = stream.config.name;
          if (name.startsWith(`${prefix}_`) || name === `OBJ_${namespace}_bodies` || name.startsWith(`KV_${namespace}_`)) await jsm.streams.delete(name);
        }
      } finally {
        await nc.close();
      }
    },
  };
}

/** A fresh PostgreSQL database; cleanup drops it. */
export async function createTestDatabase(label = 't'): Promise<{ url: string; cleanup(): Promise<void> }> {
  const name = `${label}_${uniqueSuffix()}`.toLowerCase();
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async cleanup() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await waitForDisconnects(client, name);
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Backends of a database that are still connected get this long to go before DROP … WITH (FORCE) ends them. */
const DISCONNECT_GRACE_MS = 5_000;

/**
 * Waits (at most DISCONNECT_GRACE_MS) until no backend serves `database`.
 * pg's Pool.end() resolves before its clients' sockets are closed; a client
 * still ending when WITH (FORCE) terminates its backend receives FATAL 57P01
 * with no error listener left, and the test process dies of an uncaught
 * error. Connections that are on their way out are given the time to go.
 */
async function waitForDisconnects(client: pg.Client, database: string): Promise<void> {
  const deadline = Date.now() + DISCONNECT_GRACE_MS;
  while (Date.now() < deadline) {
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM pg_stat_activity WHERE datname = $1', [database]);
    if (rows[0]?.count === '0') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A Redis key prefix of its own; cleanup deletes the keys under it. */
export async function createTestRedisPrefix(label = 't'): Promise<{ url: string; prefix: string; cleanup(): Promise<void> }> {
  const prefix = `${label}:${uniqueSuffix()}:`;
  return {
    url: testRedisUrl,
    prefix,
    async cleanup() {
      const redis = new Redis(testRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
