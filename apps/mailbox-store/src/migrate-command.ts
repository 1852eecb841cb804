/**
 * `mailbox-store migrate`: apply pending schema migrations and exit (0 on
 * success, 1 on failure). Used by `npm start` before the services and by a
 * Kubernetes Job before a rollout; needs only the database, not NATS.
 */
import { commonConfig, loadConfig } from '@mail/config';
import { createLogger } from '@mail/telemetry';
import { databaseConfig } from './config';
import { ensureDatabase } from './database/ensure-database';
import { loadMigrations, migrate } from './database/migrator';
import { createPool } from './database/pool';

export async function runMigrateCommand(): Promise<never> {
  const config = loadConfig('mailbox-store', { ...databaseConfig, logLevel: commonConfig.logLevel });
  const log = createLogger('mailbox-store', config.logLevel);
  const pool = createPool({ url: config.databaseUrl, size: 1, log });
  try {
    if (config.databaseCreate) await ensureDatabase(config.databaseUrl, log);
    const applied = await migrate(pool, await loadMigrations());
    log.info({ applied }, applied.length > 0 ? `applied ${applied.length} migration(s)` : 'schema is up to date');
    await pool.end();
    log.flush?.();
    process.exit(0);
  } catch (error) {
    log.fatal({ err: error }, `migration failed: ${(error as Error).message}`);
    log.flush?.();
    process.exit(1);
  }
}
