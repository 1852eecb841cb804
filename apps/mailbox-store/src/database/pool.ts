/** The PostgreSQL connection pool of one mailbox-store process. */
import pg from 'pg';
import type { Logger } from '@mail/telemetry';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool (autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

/** A pool whose idle-connection errors are logged instead of crashing the process. */
export function createPool(options: { url: string; size: number; log: Pick<Logger, 'warn'> }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.size,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'mailbox-store',
  });
  pool.on('error', (error) => options.log.warn({ err: error }, 'idle PostgreSQL connection failed'));
  return pool;
}

/** Readiness probe: PostgreSQL answers a trivial query. */
export async function checkDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}
