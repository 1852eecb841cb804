/** Run a unit of work in one PostgreSQL transaction (READ COMMITTED). */
import type { Pool, PoolClient } from './pool';

/**
 * BEGIN, run `work`, COMMIT; ROLLBACK if it throws. The client goes back to
 * the pool either way (destroyed if the rollback itself failed).
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // pg-pool listens for errors on idle clients only. A connection that dies
  // while checked out but between queries (PostgreSQL restarted while `work`
  // awaits the message body) emits 'error' with no query to reject: without
  // this listener that would crash the process. The next query fails anyway,
  // and the connection is destroyed on release.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    // A broken connection may still emit 'error' while it is being destroyed:
    // it keeps the listener (it never goes back to the pool).
    if (!broken) client.off('error', onError);
    client.release(broken);
  }
}
