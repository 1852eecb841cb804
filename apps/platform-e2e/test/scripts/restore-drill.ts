/**
 * The restore drill of deploy/README.md ("Backups and restore"), against the
 * real PostgreSQL of this machine:
 *
 *   node --import tsx apps/platform-e2e/test/scripts/restore-drill.ts
 *
 * 1. The platform (mailbox-store, spam-filter, smtp-ingress, pop3-server)
 *    on a scratch database; three users; mail sent by SMTP until every
 *    message is in its maildrop (one message to two users: stored once,
 *    two mailbox entries).
 * 2. `pg_dump --format=custom` of that database, then `pg_restore` into a
 *    second, empty database.
 * 3. Messages and octets per mailbox, and a checksum over every stored
 *    message, read by SQL from both databases; then mailbox-store and
 *    pop3-server started on the restored database alone, and each
 *    user's maildrop counted over POP3 (STAT).
 *
 * The integration test (../restore-drill.test.ts) runs the same drill and
 * asserts that every number agrees.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { preparePlatform } from '@mail/launcher';
import { countMessages } from '@mail/pop3-client';
import { createTestDatabase, createTestNamespace, createTestRedisPrefix, startMailStack, testNatsUrl, waitFor, type MailStack } from '@mail/testing';

const run = promisify(execFile);

/** The users of the drill, their password and how many messages each gets addressed to them alone. */
const plan = [
  { address: 'alice@example.test', password: 'drill-alice', messages: 5 },
  { address: 'bob@example.test', password: 'drill-bob', messages: 3 },
  { address: 'carol@example.test', password: 'drill-carol', messages: 7 },
] as const;
/** One more message to alice and bob together. */
const shared = ['alice@example.test', 'bob@example.test'];

/** Messages and octets of one mailbox (folder) of one user. */
export interface MailboxCount {
  readonly address: string;
  readonly mailbox: string;
  readonly messages: number;
  readonly octets: number;
}

export interface DrillReport {
  readonly dumpBytes: number;
  readonly dumpMs: number;
  readonly restoreMs: number;
  readonly source: { readonly mailboxes: MailboxCount[]; readonly messages: number; readonly checksum: string };
  readonly restored: { readonly mailboxes: MailboxCount[]; readonly messages: number; readonly checksum: string };
  /** INBOX message count of each user over POP3: on the platform before the dump, on the restored database after. */
  readonly pop3: { readonly address: string; readonly before: number; readonly after: number }[];
}

const perMailbox = `
  SELECT u.address, m.name AS mailbox, count(e.id)::int AS messages, coalesce(sum(e.size), 0)::int AS octets
  FROM users u JOIN mailboxes m ON m.user_id = u.id LEFT JOIN mailbox_entries e ON e.mailbox_id = m.id
  GROUP BY u.address, m.name ORDER BY u.address, m.name`;
// Every stored message, by id and content hash: equal checksums, equal messages.
const everyMessage = `SELECT count(*)::int AS messages, coalesce(md5(string_agg(id || ':' || sha256, ',' ORDER BY id)), '') AS checksum FROM messages`;

async function readCounts(url: string): Promise<DrillReport['source']> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const mailboxes = (await client.query<MailboxCount>(perMailbox)).rows;
    const { messages, checksum } = (await client.query<{ messages: number; checksum: string }>(everyMessage)).rows[0] ?? { messages: 0, checksum: '' };
    return { mailboxes, messages, checksum };
  } finally {
    await client.end();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, Math.round(performance.now() - started)];
}

async function deliverPlan(stack: MailStack): Promise<number[]> {
  for (const args of [['domain', 'add', 'example.test'], ...plan.map((user) => ['user', 'add', user.address, '--password', user.password])]) {
    const result = await stack.mailctl(...args);
    if (result.code !== 0) throw new Error(`mailctl ${args.slice(0, 3).join(' ')} failed: ${result.stderr}`);
  }
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
  try {
    for (const user of plan) {
      for (let i = 1; i <= user.messages; i++)
        await transport.sendMail({ from: 'drill@crepes.fr', to: user.address, subject: `drill ${i} for ${user.address}`, text: `Message ${i} of the restore drill.\n` });
    }
    await transport.sendMail({ from: 'drill@crepes.fr', to: shared, subject: 'drill for two', text: 'One message, two mailboxes.\n' });
  } finally {
    transport.close();
  }
  const expected = plan.map((user) => user.messages + (shared.includes(user.address) ? 1 : 0));
  let counted: number[] = [];
  await waitFor(
    async () => {
      counted = await Promise.all(plan.map((user) => countMessages(stack.pop3Port, user.address, user.password)));
      return counted.every((count, i) => count === expected[i]);
    },
    // Three POP3 logins per probe: every 250 ms, not the default 50
    { timeoutMs: 60_000, intervalMs: 250, description: 'every message of the drill in its maildrop' },
  ).catch(async (error: unknown) => {
    const stored = await readCounts(stack.env['DATABASE_URL'] ?? '').catch(() => undefined);
    throw new Error(
      `${(error as Error).message}: expected ${expected.join(', ')} messages, POP3 STAT says ${counted.join(', ')}; stored: ${JSON.stringify(stored?.mailboxes.filter((m) => m.messages > 0))}`,
      { cause: error },
    );
  });
  return expected;
}

/** POP3 counts of each user served from `databaseUrl` by a mailbox-store and a pop3-server of their own. */
async function countOnDatabase(databaseUrl: string): Promise<number[]> {
  const namespace = await createTestNamespace('drill');
  const redis = await createTestRedisPrefix('drill');
  const platform = await preparePlatform({
    settings: {
      natsUrl: testNatsUrl,
      namespace: namespace.namespace,
      databaseUrl,
      redisUrl: redis.url,
      redisKeyPrefix: redis.prefix,
      listenerPorts: { smtp: 0, submission: 0, pop3: 0 },
      opsPorts: 'free',
      variables: { LOG_LEVEL: 'warn' },
    },
  });
  try {
    await platform.start('mailbox-store');
    await platform.start('pop3-server');
    const port = platform.ports.pop3;
    if (port === undefined) throw new Error('pop3-server has no port');
    return await Promise.all(plan.map((user) => countMessages(port, user.address, user.password)));
  } finally {
    await platform.stopAll();
    await Promise.allSettled([namespace.cleanup(), redis.cleanup()]);
  }
}

/** Runs the drill end to end; everything it created is removed, whatever happens. */
export async function runRestoreDrill(): Promise<DrillReport> {
  const dir = await mkdtemp(join(tmpdir(), 'restore-drill-'));
  const dumpFile = join(dir, 'mail.dump');
  const stack = await startMailStack({ services: ['mailbox-store', 'spam-filter', 'smtp-ingress', 'pop3-server'] });
  const target = await createTestDatabase('restored');
  try {
    const before = await deliverPlan(stack);
    const sourceUrl = stack.env['DATABASE_URL'];
    if (sourceUrl === undefined) throw new Error('the stack has no DATABASE_URL');
    const source = await readCounts(sourceUrl);
    const [, dumpMs] = await timed(() => run('pg_dump', ['--format=custom', '--no-owner', '--file', dumpFile, '--dbname', sourceUrl]));
    await stack.stop();
    const [, restoreMs] = await timed(() => run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', target.url, dumpFile]));
    const restored = await readCounts(target.url);
    const after = await countOnDatabase(target.url);
    return { dumpBytes: (await stat(dumpFile)).size, dumpMs, restoreMs, source, restored, pop3: plan.map((user, i) => ({ address: user.address, before: before[i] ?? -1, after: after[i] ?? -1 })) };
  } finally {
    await stack.stop().catch(() => undefined);
    await target.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The report as the README shows it: the folders that hold mail, the empty ones counted. */
export function formatDrillReport(report: DrillReport): string {
  const lines = [`pg_dump --format=custom: ${report.dumpBytes} bytes in ${report.dumpMs} ms; pg_restore into an empty database: ${report.restoreMs} ms`, ''];
  lines.push('address             folder   messages dumped / restored   octets dumped / restored');
  const restoredRow = (row: MailboxCount) => report.restored.mailboxes.find((r) => r.address === row.address && r.mailbox === row.mailbox);
  for (const row of report.source.mailboxes.filter((r) => r.messages > 0 || (restoredRow(r)?.messages ?? 0) > 0)) {
    const other = restoredRow(row);
    lines.push(`${row.address.padEnd(20)}${row.mailbox.padEnd(9)}${`${row.messages} / ${other?.messages ?? 'missing'}`.padEnd(29)}${row.octets} / ${other?.octets ?? 'missing'}`);
  }
  const empty = report.source.mailboxes.filter((r) => r.messages === 0 && restoredRow(r)?.messages === 0).length;
  lines.push(`(the other ${empty} folders empty in both; folders in all: ${report.source.mailboxes.length} dumped, ${report.restored.mailboxes.length} restored)`);
  lines.push('', `messages stored once: ${report.source.messages} / ${report.restored.messages}; md5 over ids and SHA-256s: ${report.source.checksum} / ${report.restored.checksum}`);
  lines.push('', 'POP3 STAT of each INBOX: on the platform before the dump / mailbox-store and pop3-server on the restored database');
  for (const row of report.pop3) lines.push(`  ${row.address.padEnd(20)}${row.before} / ${row.after}`);
  return `${lines.join('\n')}\n`;
}

/** True when the restored database holds what was dumped, and the platform reads the same maildrops from it. */
export function drillAgrees(report: DrillReport): boolean {
  return JSON.stringify(report.source) === JSON.stringify(report.restored) && report.pop3.every((row) => row.before === row.after);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await runRestoreDrill();
  process.stdout.write(formatDrillReport(report));
  const same = drillAgrees(report);
  process.stdout.write(same ? 'restore drill: every count agrees\n' : 'restore drill: COUNTS DIFFER\n');
  process.exit(same ? 0 : 1);
}
