/**
 * Spans for every PostgreSQL and Redis call, from the official OpenTelemetry
 * instrumentations (@opentelemetry/instrumentation-pg and -ioredis), for the
 * clients the service uses: requiring a client package patches it, so a
 * service that never talks to PostgreSQL would otherwise hold pg for nothing.
 *
 * Those instrumentations hook `require` (require-in-the-middle), but the
 * services are ES modules run through tsx: `import pg from 'pg'` loads the
 * CommonJS package without passing through `require`, so registering the
 * instrumentations alone patches nothing. After registering them, this file
 * therefore `require`s pg, pg-pool and ioredis itself. The require hook then
 * sees each package once and patches it in place (the prototypes of
 * pg.Client, pg-pool's Pool and Redis), and since ES imports of a CommonJS
 * package share Node's module cache with `require`, the objects the services
 * imported — before or after this runs — are the patched ones. No `--import`
 * preload or loader hook is needed, whatever way the service is started.
 *
 * Privacy: spans carry SQL text with placeholders only (never the values)
 * and Redis command names only (keys may hold user names or addresses).
 * Calls outside any span (pool housekeeping, start-up checks) make no span.
 */
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';

/** The database clients a service uses (@mail/service-catalog's infrastructure). */
export interface DatabaseClients {
  readonly postgres: boolean;
  readonly redis: boolean;
}

const registered = { postgres: false, redis: false };

/**
 * Registers the instrumentations of the clients asked for and patches those
 * packages. Idempotent. An instrumentation is required, like its client,
 * only for a client in use.
 */
export function instrumentDatabaseClients(clients: DatabaseClients): void {
  const require = createRequire(import.meta.url);
  if (clients.postgres && !registered.postgres) {
    registered.postgres = true;
    instrumentPostgres(require);
  }
  if (clients.redis && !registered.redis) {
    registered.redis = true;
    instrumentRedis(require);
  }
}

function instrumentPostgres(require: NodeJS.Require): void {
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  registerInstrumentations({ instrumentations: [new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false })] });
  requireIfInstalled(require, 'pg');
  // pg-pool as pg itself resolves it, so the patched Pool is the one pg.Pool extends
  const pgPath = resolveIfInstalled(require, 'pg');
  if (pgPath !== undefined) requireIfInstalled(createRequire(pgPath), 'pg-pool');
}

function instrumentRedis(require: NodeJS.Require): void {
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  registerInstrumentations({ instrumentations: [new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command })] });
  requireIfInstalled(require, 'ioredis');
}

function resolveIfInstalled(require: NodeJS.Require, packageName: string): string | undefined {
  try {
    return require.resolve(packageName);
  } catch {
    return undefined;
  }
}

function requireIfInstalled(require: NodeJS.Require, packageName: string): void {
  if (resolveIfInstalled(require, packageName) !== undefined) require(packageName);
}
