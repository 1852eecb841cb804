/**
 * Spans for every PostgreSQL and Redis call, from the official OpenTelemetry
 * instrumentations (@opentelemetry/instrumentation-pg and -ioredis).
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
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

let registered = false;

/** Registers the pg and ioredis instrumentations and patches the loaded packages. Idempotent. */
export function instrumentDatabaseClients(): void {
  if (registered) return;
  registered = true;
  registerInstrumentations({
    instrumentations: [
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  const require = createRequire(import.meta.url);
  for (const packageName of ['pg', 'ioredis']) requireIfInstalled(require, packageName);
  // pg-pool as pg itself resolves it, so the patched Pool is the one pg.Pool extends
  const pgPath = resolveIfInstalled(require, 'pg');
  if (pgPath !== undefined) requireIfInstalled(createRequire(pgPath), 'pg-pool');
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
