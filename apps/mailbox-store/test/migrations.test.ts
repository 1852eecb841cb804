/** Integration: migrations applied once by concurrent replicas, idempotent on restart and via `migrate`. */
import { spawn } from 'node:child_process';
import { createTestDatabase, serviceArguments, workspaceRoot } from '@mail/testing';
import pg from 'pg';
import { loadMigrations, migrate } from '../src/database/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

function runMigrateCommand(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...serviceArguments('mailbox-store'), 'migrate'], {
      cwd: workspaceRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('schema migrations', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_migrate');
  });
  afterAll(() => system?.cleanup());

  it('lets several replicas start together on an empty database, applying each migration once', async () => {
    const replicas = await Promise.all([system.start(), system.start(), system.start()]);
    const { rows } = await system.db.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: '001_initial' },
      { version: 2, name: '002_aliases_quotas_apop' },
    ]);
    const applied = replicas.filter((replica) => replica.output().includes('applied schema migrations'));
    expect(applied).toHaveLength(1);
    for (const replica of replicas) expect(await replica.stop('SIGTERM')).toBe(0);
  });

  it('is idempotent: the migrate command and a restart find nothing to do', async () => {
    const result = await runMigrateCommand(system.env);
    expect(result.code).toBe(0);
    expect(result.output).toContain('schema is up to date');
    const again = await system.start();
    expect(again.output()).toContain('schema is up to date');
    const { rows } = await system.db.query('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]).toEqual({ n: 2 });
    await again.stop('SIGTERM');
  });

  it('upgrades a database of the first migration, carrying an alias row over to targets', async () => {
    const database = await createTestDatabase('mbx_upgrade');
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const plan = await loadMigrations();
      expect(await migrate(pool, plan.slice(0, 1))).toEqual(['001_initial']);
      await pool.query("INSERT INTO domains (name) VALUES ('example.test')");
      await pool.query("INSERT INTO aliases (address, domain_id, target) SELECT 'sales@example.test', id, 'Bob@example.test' FROM domains");
      expect(await migrate(pool, plan)).toEqual(['002_aliases_quotas_apop']);
      const { rows } = await pool.query('SELECT address, targets FROM aliases');
      expect(rows).toEqual([{ address: 'sales@example.test', targets: ['bob@example.test'] }]);
    } finally {
      await pool.end();
      await database.cleanup();
    }
  });

  it('creates every table of the schema', async () => {
    const { rows } = await system.db.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(rows.map((row) => row.tablename)).toEqual(['aliases', 'domains', 'mailbox_entries', 'mailboxes', 'messages', 'schema_migrations', 'users']);
  });
});
