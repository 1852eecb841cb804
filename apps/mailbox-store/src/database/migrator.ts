/**
 * Apply pending schema migrations at start-up (and in the `migrate`
 * command). Everything happens in ONE transaction holding a transaction-level
 * advisory lock, so replicas starting together apply each migration exactly
 * once: the others wait for the lock, then find nothing left to do. DDL is
 * transactional in PostgreSQL, so a failed migration leaves no trace.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { planMigrations, pendingMigrations, type Migration } from './migration-plan';
import type { Pool } from './pool';
import { withTransaction } from './transaction';

/** Advisory lock key of mailbox-store migrations (ASCII "mbxs"); any constant works if unique in this database. */
const migrationLockKey = 0x6d627873;

const migrationsDirectory = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The migrations shipped with this build, ordered. */
export async function loadMigrations(directory = migrationsDirectory): Promise<Migration[]> {
  const names = await readdir(directory);
  const files = new Map<string, string>();
  for (const name of names) if (name.endsWith('.sql')) files.set(name, await readFile(`${directory}${name}`, 'utf8'));
  return planMigrations(files);
}

/** Apply what is pending; returns the names applied (empty when the schema is current). */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const pending = pendingMigrations(migrations, new Map(rows.map((row) => [row.version, row.checksum])));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
    }
    return pending.map((migration) => migration.name);
  });
}
