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
      { version: 3, name: '003_imap' },
      { version: 4, name: '004_search_text' },
      { version: 5, name: '005_expunge_retention' },
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
    expect(rows[0]).toEqual({ n: 5 });
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
      expect(await migrate(pool, plan.slice(0, 2))).toEqual(['002_aliases_quotas_apop']);
      const { rows } = await pool.query('SELECT address, targets FROM aliases');
      expect(rows).toEqual([{ address: 'sales@example.test', targets: ['bob@example.test'] }]);
    } finally {
      await pool.end();
      await database.cleanup();
    }
  });

  it('upgrades a database of the second migration for IMAP: UIDs in received order, POP3 UIDLs kept, special-use folders and subscriptions', async () => {
    const database = await createTestDatabase('mbx_upgrade_imap');
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const plan = await loadMigrations();
      await migrate(pool, plan.slice(0, 2));
      await pool.query("INSERT INTO domains (name) VALUES ('example.test')");
      await pool.query("INSERT INTO users (address, domain_id, password_hash) SELECT 'bob@example.test', id, 'scrypt$x' FROM domains");
      await pool.query("INSERT INTO mailboxes (user_id, name) SELECT id, unnest(ARRAY['INBOX', 'Junk']) FROM users");
      for (const [id, at] of [
        ['m-late', '2024-01-03'],
        ['m-early', '2024-01-01'],
        ['m-middle', '2024-01-02'],
      ] as const) {
        await pool.query("INSERT INTO messages (id, raw, size, sha256, envelope_from, received_at) VALUES ($1, 'x', 1, '', '', $2)", [id, at]);
        await pool.query(
          "INSERT INTO mailbox_entries (user_id, mailbox_id, message_id, size, received_at, uid) SELECT u.id, mb.id, $1, 1, $2, $3 FROM users u JOIN mailboxes mb ON mb.user_id = u.id AND mb.name = 'INBOX'",
          [id, at, `uidl-${id}`],
        );
      }
      expect(await migrate(pool, plan.slice(0, 3))).toEqual(['003_imap']);
      const entries = await pool.query('SELECT uid, imap_uid::int, modseq::int, origin FROM mailbox_entries ORDER BY imap_uid');
      expect(entries.rows).toEqual([
        { uid: 'uidl-m-early', imap_uid: 1, modseq: 1, origin: 'delivery' },
        { uid: 'uidl-m-middle', imap_uid: 2, modseq: 1, origin: 'delivery' },
        { uid: 'uidl-m-late', imap_uid: 3, modseq: 1, origin: 'delivery' },
      ]);
      const folders = await pool.query('SELECT name, special_use, uid_next::int, uid_validity::bigint > 1600000000 AS dated FROM mailboxes ORDER BY name');
      expect(folders.rows).toEqual([
        { name: 'Archive', special_use: '\\Archive', uid_next: 1, dated: true },
        { name: 'Drafts', special_use: '\\Drafts', uid_next: 1, dated: true },
        { name: 'INBOX', special_use: null, uid_next: 4, dated: true },
        { name: 'Junk', special_use: '\\Junk', uid_next: 1, dated: true },
        { name: 'Sent', special_use: '\\Sent', uid_next: 1, dated: true },
        { name: 'Trash', special_use: '\\Trash', uid_next: 1, dated: true },
      ]);
      const validities = await pool.query('SELECT count(DISTINCT uid_validity)::int AS n FROM mailboxes');
      expect(validities.rows[0]).toEqual({ n: 6 });
      const subscriptions = await pool.query('SELECT count(*)::int AS n FROM mailbox_subscriptions');
      expect(subscriptions.rows[0]).toEqual({ n: 6 });
    } finally {
      await pool.end();
      await database.cleanup();
    }
  });

  it('upgrades a database of the third migration for full-text search: stored messages queued for the index, new ones too, gone with their message', async () => {
    const database = await createTestDatabase('mbx_upgrade_search');
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const plan = await loadMigrations();
      await migrate(pool, plan.slice(0, 3));
      const insertMessage = (id: string) => pool.query("INSERT INTO messages (id, raw, size, sha256, envelope_from, received_at) VALUES ($1, 'x', 1, '', '', now())", [id]);
      await insertMessage('m-old');
      expect(await migrate(pool, plan.slice(0, 4))).toEqual(['004_search_text']);
      // one statement storing several messages (a group commit) queues each
      await pool.query("INSERT INTO messages (id, raw, size, sha256, envelope_from, received_at) VALUES ('m-new1', 'x', 1, '', '', now()), ('m-new2', 'x', 1, '', '', now())");
      const pending = await pool.query('SELECT message_id, header_text, body_text, indexed_at FROM message_search_text ORDER BY message_id');
      expect(pending.rows).toEqual(['m-new1', 'm-new2', 'm-old'].map((id) => ({ message_id: id, header_text: null, body_text: null, indexed_at: null })));
      await pool.query("DELETE FROM messages WHERE id = 'm-old'");
      expect((await pool.query('SELECT message_id FROM message_search_text ORDER BY message_id')).rows).toEqual([{ message_id: 'm-new1' }, { message_id: 'm-new2' }]);
    } finally {
      await pool.end();
      await database.cleanup();
    }
  });

  it('creates every table of the schema', async () => {
    const { rows } = await system.db.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(rows.map((row) => row.tablename)).toEqual([
      'aliases',
      'domains',
      'expunged_entries',
      'mailbox_entries',
      'mailbox_subscriptions',
      'mailboxes',
      'message_search_text',
      'messages',
      'schema_migrations',
      'users',
    ]);
  });
});
