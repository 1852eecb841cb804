/**
 * Integration: a PostgreSQL connection that dies in the middle of a
 * transaction, between two queries (the server restarted or the backend was
 * terminated while the store awaited the message body), fails that
 * transaction only — it must not crash the process with an unhandled
 * 'error' event — and the pool goes on with a fresh connection.
 * Found by the crash matrix (tools/chaos): mailbox-store exited when
 * PostgreSQL was restarted under load.
 */
import pg from 'pg';
import { createTestDatabase } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../src/database/pool';
import { withTransaction } from '../src/database/transaction';

describe('withTransaction when the connection dies between queries', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  const warnings: unknown[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('mbx_tx');
    pool = createPool({ url: database.url, size: 2, log: { warn: (obj: unknown) => void warnings.push(obj) } });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.cleanup();
  });

  it('rejects the unit of work and leaves the pool usable', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const attempt = withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Not events.once: it rejects on the 'error' that comes first, possibly before anyone awaits it (an unhandled rejection).
        const closed = new Promise<void>((resolve) => (client as unknown as NodeJS.EventEmitter).once('end', () => resolve()));
        // No query in flight on `client` now: the termination arrives as an 'error' event.
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        await closed;
        await client.query('SELECT 1');
      });
      await expect(attempt).rejects.toThrow();
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
    }
  });
});
