/**
 * Rough cost of RETR in one POP3 session (not a test): starts a real
 * mailbox-store and pop3-server from their builds in an isolated world,
 * fills one maildrop with N messages of about 2 KiB (published straight on
 * the bus as spam-filter hands them over, bodies inline), then runs R
 * sessions one after the other, each logging in and RETRing every message
 * and waiting for each reply before the next RETR (as the bench's client
 * does, and as it does against Dovecot). Prints, per session, RETR/s and the
 * CPU time per RETR (utime + stime from /proc/<pid>/stat) of pop3-server, of
 * mailbox-store, of the PostgreSQL backends serving the world's database and
 * of this client process.
 *
 *   node --import tsx apps/pop3-server/test/scripts/measure-retr-cpu.ts [N=3000] [R=3] [profile directory]
 *
 * With a directory, both services write V8 CPU profiles there when they stop.
 * POP3_SERVER_ENTRY=<main.mjs> and MAILBOX_STORE_ENTRY=<main.mjs> measure
 * those builds instead of this workspace's (another commit's, built or
 * copied elsewhere: a before/after). POP3_SERVER_NODE_ARGS and
 * MAILBOX_STORE_NODE_ARGS add Node arguments to one of them (with
 * --trace-gc, the collections of each session are counted). Run it with the Node the services run
 * on (node_modules/.bin/node).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { Bus } from '@mail/bus';
import { Events, Requests, type MailClassified } from '@mail/contracts';
import { Pop3Client } from '@mail/pop3-client';
import { catalogService, nodeRuntime } from '@mail/service-catalog';
import pg from 'pg';
import { createTestDatabase, createTestNamespace, createTestRedisPrefix, freePort, startServiceProcess, testNatsUrl, waitFor } from '@mail/testing';
import { messageOfSize } from '../fixtures/messages';

/** Clock ticks per second of utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;
const user = 'retr@example.test';
const password = 'measure';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** User and system CPU milliseconds of a process so far. */
async function cpuTimes(pid: number): Promise<{ user: number; system: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11] ?? 0) * 1000) / ticksPerSecond, system: (Number(fields[12] ?? 0) * 1000) / ticksPerSecond };
}

async function cpuMs(pid: number): Promise<number> {
  const { user, system } = await cpuTimes(pid);
  return user + system;
}

/** What the measurement uses of a running service. */
interface Running {
  readonly pid: number;
  output(): string;
  stop(signal: NodeJS.Signals): Promise<unknown>;
}

/** Another build of a service as a child process, run as the launcher runs services (@mail/service-catalog's nodeRuntime), with extra Node arguments. */
function startBuild(entry: string, env: Record<string, string>, nodeArguments: readonly string[]): Running {
  const child = spawn(process.execPath, [...nodeRuntime.flags, ...nodeArguments, entry], { env: { ...process.env, ...nodeRuntime.environment, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  return {
    pid: child.pid ?? 0,
    output: () => output,
    async stop(signal) {
      child.kill(signal);
      await exited;
    },
  };
}

async function start(app: 'mailbox-store' | 'pop3-server', entry: string | undefined, env: Record<string, string>): Promise<Running> {
  // POP3_SERVER_NODE_ARGS / MAILBOX_STORE_NODE_ARGS: Node arguments for one of the two (--trace-gc, a heap setting to try), on a build's command line
  const nodeArguments = (process.env[`${app.toUpperCase().replace('-', '_')}_NODE_ARGS`] ?? '').split(' ').filter((argument) => argument !== '');
  if (entry === undefined && nodeArguments.length === 0) return startServiceProcess(app, env, { waitReady: false });
  return startBuild(entry ?? catalogService(app).entry.dist, { ...env, HTTP_PORT: String(await freePort()) }, nodeArguments);
}

/** The classified event of one test message, its body inline as smtp-ingress sends small ones. */
function classified(i: number, body: Buffer): MailClassified {
  const queueId = `RETR${String(i).padStart(8, '0')}`;
  const now = new Date().toISOString();
  return {
    version: 1,
    queueId,
    receivedAt: now,
    session: { listener: 'inbound', clientIp: '127.0.0.1', helo: 'crepes.fr', tls: false },
    envelope: { mailFrom: 'alice@crepes.fr', recipients: [{ address: user, route: 'local', mailbox: user }], smtputf8: false, bodyType: '8BITMIME' },
    body: { bucket: 'inline', key: queueId, size: body.length, sha256: createHash('sha256').update(body).digest('hex'), inline: body.toString('base64') },
    traceHeaders: [{ name: 'Received', value: `from crepes.fr (crepes.fr [127.0.0.1])\r\n\tby mx.example.test with ESMTP id ${queueId}; Sat, 21 Nov 2026 10:00:00 +0000` }],
    verdict: { action: 'deliver', score: 0.4, reasons: [], headers: [{ name: 'X-Spam-Status', value: 'No, score=0.4' }], checkedAt: now },
  };
}

/** One session that RETRs every message, each reply awaited before the next RETR. */
async function retrieveAll(port: number): Promise<{ messages: number; octets: number; milliseconds: number; clientCpuMs: number }> {
  const client = await Pop3Client.login(port, user, password, { timeoutMs: 120_000 });
  try {
    const { count } = await client.stat();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let octets = 0;
    for (let n = 1; n <= count; n++) octets += (await client.retrieve(n)).wire.length;
    const milliseconds = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    await client.quit();
    return { messages: count, octets, milliseconds, clientCpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    client.close();
  }
}

const total = Number(process.argv[2] ?? 3000);
const rounds = Number(process.argv[3] ?? 3);
const profileDirectory = process.argv[4];
const namespace = await createTestNamespace('retr_cpu');
const database = await createTestDatabase('retr_cpu');
const redis = await createTestRedisPrefix('retr_cpu');
const running: Running[] = [];
const db = new pg.Client({ connectionString: database.url });
await db.connect();
const bus = await Bus.connect({ url: testNatsUrl, name: 'measure-retr-cpu', namespace: namespace.namespace, log: silent });
try {
  const env: Record<string, string> = {
    NATS_URL: testNatsUrl,
    NATS_NAMESPACE: namespace.namespace,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    MAIL_HOSTNAME: 'pop.example.test',
    // warn, as the bench runs the services
    LOG_LEVEL: 'warn',
    POP3_MAX_CONNECTIONS_PER_IP: '0',
    // no background search indexing of the fresh messages while the sessions run: it would count in mailbox-store's and PostgreSQL's CPU
    SEARCH_INDEX_IDLE_AFTER: '0',
    ...(profileDirectory === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDirectory}` }),
  };
  const store = await start('mailbox-store', process.env['MAILBOX_STORE_ENTRY'], env);
  running.push(store);
  await waitFor(() => bus.request(Requests.admin, { version: 1, op: 'domain.list' }).then(() => true), { timeoutMs: 30_000, description: 'mailbox-store answering' }).catch((error: unknown) => {
    process.stderr.write(store.output());
    throw error;
  });
  await bus.request(Requests.admin, { version: 1, op: 'domain.add', domain: 'example.test' });
  await bus.request(Requests.admin, { version: 1, op: 'user.add', address: user, password });

  const port = await freePort();
  const pop3 = await start('pop3-server', process.env['POP3_SERVER_ENTRY'], { ...env, POP3_PORT: String(port) });
  running.push(pop3);

  const body = messageOfSize('measure RETR', 2048);
  let next = 0;
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < total) {
        const event = classified(next++, body);
        await bus.publish(Events.mailClassified, event, event.queueId);
      }
    }),
  );
  await waitFor(async () => (await bus.request(Requests.listMailbox, { version: 1, user, folders: ['INBOX'] })).entries.length === total, {
    timeoutMs: 300_000,
    intervalMs: 200,
    description: `all ${total} messages stored`,
  });
  await waitFor(() => Pop3Client.connect(port).then((client) => (client.close(), true)), { timeoutMs: 30_000, description: 'pop3-server listening' }).catch((error: unknown) => {
    process.stderr.write(pop3.output());
    throw error;
  });

  const backends = async (): Promise<number[]> => {
    const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return rows.map((row) => row.pid);
  };
  const postgresCpu = async () => new Map(await Promise.all((await backends()).map(async (pid) => [pid, await cpuMs(pid)] as const)));
  process.stdout.write(
    `load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}\n`,
  );
  // What each process spends doing nothing asked of it (timers, consumers waiting for work), for scale
  const idleBefore = await Promise.all([cpuMs(pop3.pid), cpuMs(store.pid)]);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idleAfter = await Promise.all([cpuMs(pop3.pid), cpuMs(store.pid)]);
  process.stdout.write(`idle: pop3-server ${((idleAfter[0] - idleBefore[0]) / 2).toFixed(1)} ms CPU per second, mailbox-store ${((idleAfter[1] - idleBefore[1]) / 2).toFixed(1)} ms CPU per second\n`);
  // With --trace-gc: the collections each process made during a session
  const collections = (service: Running): { young: number; full: number } => ({
    young: service.output().match(/: Scavenge|: Minor Mark/g)?.length ?? 0,
    full: service.output().match(/: Mark-Compact|: Mark-Sweep/g)?.length ?? 0,
  });
  for (let round = 1; round <= rounds; round++) {
    const gcBefore = [collections(pop3), collections(store)];
    const pgBefore = await postgresCpu();
    const [pop3Before, storeBefore] = await Promise.all([cpuTimes(pop3.pid), cpuTimes(store.pid)]);
    const session = await retrieveAll(port);
    const [pop3After, storeAfter] = await Promise.all([cpuTimes(pop3.pid), cpuTimes(store.pid)]);
    let pgMs = 0;
    for (const [pid, ms] of await postgresCpu()) pgMs += ms - (pgBefore.get(pid) ?? 0);
    const per = (ms: number): string => `${(ms / session.messages).toFixed(3)} ms`;
    const split = (after: { user: number; system: number }, before: { user: number; system: number }): string =>
      `${per(after.user + after.system - before.user - before.system)} (user ${per(after.user - before.user)}, system ${per(after.system - before.system)})`;
    process.stdout.write(
      `session ${round}: ${session.messages} RETR in ${(session.milliseconds / 1000).toFixed(2)} s = ${((session.messages * 1000) / session.milliseconds).toFixed(0)} RETR/s ` +
        `(${(session.octets / 1024 / 1024 / (session.milliseconds / 1000)).toFixed(1)} MiB/s); CPU per RETR: ` +
        `pop3-server ${split(pop3After, pop3Before)}, mailbox-store ${split(storeAfter, storeBefore)}, PostgreSQL backends ${per(pgMs)}, client ${per(session.clientCpuMs)}\n`,
    );
    const gcAfter = [collections(pop3), collections(store)];
    const gcLine = (name: string, index: number): string => {
      const [before, after] = [gcBefore[index], gcAfter[index]];
      return before === undefined || after === undefined ? '' : `${name} ${after.young - before.young} young, ${after.full - before.full} full`;
    };
    if (gcAfter.some((counts) => counts.young + counts.full > 0)) process.stdout.write(`  collections (--trace-gc): ${gcLine('pop3-server', 0)}; ${gcLine('mailbox-store', 1)}\n`);
  }
  process.stdout.write(
    `load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}\n`,
  );
  // SIGTERM, so that a profiling process writes its profile
  for (const service of running.reverse()) await service.stop('SIGTERM');
  running.length = 0;
} finally {
  await Promise.allSettled(running.map((service) => service.stop('SIGKILL')));
  await bus.close().catch(() => undefined);
  await db.end().catch(() => undefined);
  await Promise.allSettled([namespace.cleanup(), database.cleanup(), redis.cleanup()]);
}
