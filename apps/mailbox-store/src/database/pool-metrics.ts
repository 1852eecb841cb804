/**
 * `mail_postgres_pool_connections{state}`: the connections of this
 * process's pool (`total`, `idle`, and `waiting` clients queued for one),
 * read at each scrape; `mail_postgres_pool_max` the configured size.
 */
import { metrics } from '@opentelemetry/api';
import type { Pool } from './pool';

export function observePool(pool: Pool, size: number): void {
  const meter = metrics.getMeter('mailbox-store');
  meter.createObservableGauge('mail_postgres_pool_connections', { description: 'PostgreSQL pool connections by state (total, idle, waiting clients)' }).addCallback((result) => {
    result.observe(pool.totalCount, { state: 'total' });
    result.observe(pool.idleCount, { state: 'idle' });
    result.observe(pool.waitingCount, { state: 'waiting' });
  });
  meter.createObservableGauge('mail_postgres_pool_max', { description: 'Configured size of the PostgreSQL pool' }).addCallback((result) => result.observe(size));
}
