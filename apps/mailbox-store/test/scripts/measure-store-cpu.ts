/**
 * Rough CPU cost of storing small messages (not a test): starts a real
 * mailbox-store process from its build in an isolated world, publishes N
 * classified messages of about 2 KiB (bodies inline, as smtp-ingress sends
 * them) straight on the bus, 100 publishes in flight, and prints the
 * process's CPU time (utime + stime from /proc/<pid>/stat) and that of the
 * PostgreSQL backends serving its database, per message, with the rate.
 *
 *   node --import tsx apps/mailbox-store/test/scripts/measure-store-cpu.ts [N=2000] [profile directory] [--rate R] [--warmup W]
 *
 * With --rate, the messages are published at R per second instead of as
 * fast as possible: at the bench latency scenario's 200 msg/s the batches
 * are small (one or two messages), so what each batch costs whatever its
 * size shows. --warmup W first stores W messages unmeasured (the first
 * deliveries load code and warm the JIT).
 * With a directory, mailbox-store writes a V8 CPU profile there when it stops.
 * MAILBOX_STORE_ENTRY=<main.mjs> measures that build instead of this
 * workspace's (another commit's, built elsewhere: a before/after).
 * Run it with the Node the services run on (node_modules/.bin/node): the
 * service is started with the same node.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Streams, type MailClassified } from '@mail/contracts';
import { sendPaced, waitFor } from '@mail/testing';
import { classifiedMail, publishClassified, sampleMessage } from '../fixtures/classified-mail';
import { createTestSystem } from '../fixtures/test-system';

/** Clock ticks per second of utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / ticksPerSecond;
}

/** Another build of mailbox-store as a child process, with what the measurement uses of a ServiceProcess. */
function startBuild(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  return {
    pid: child.pid ?? 0,
    output: () => output,
    async stop(signal: NodeJS.Signals) {
      child.kill(signal);
      await exited;
    },
  };
}

const { values: flags, positionals } = parseArgs({ allowPositionals: true, options: { rate: { type: 'string' }, warmup: { type: 'string' } } });
const total = Number(positionals[0] ?? 2000);
const profileDirectory = positionals[1];
const rate = flags.rate === undefined ? undefined : Number(flags.rate);
const warmup = Number(flags.warmup ?? 0);
const system = await createTestSystem('mbx_cpu');
let other: ReturnType<typeof startBuild> | undefined;
try {
  // warn, as the bench runs the services (an info line per stored message costs CPU too)
  const profiling: Record<string, string> = profileDirectory === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDirectory}` };
  const env = { LOG_LEVEL: 'warn', ...profiling };
  const entry = process.env['MAILBOX_STORE_ENTRY'];
  const service = entry === undefined ? await system.start({ env, waitReady: false }) : (other = startBuild(entry, { ...system.env, ...env }));
  await waitFor(() => system.admin({ version: 1, op: 'domain.list' }).then(() => true), { timeoutMs: 30_000, description: 'mailbox-store answering' }).catch((error: unknown) => {
    process.stderr.write(service.output());
    throw error;
  });
  await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
  await system.admin({ version: 1, op: 'user.add', address: 'bob@example.test', password: 'pw' });
  const events: MailClassified[] = [];
  for (let i = 0; i < warmup + total; i++) {
    const queueId = `CPU${String(i).padStart(8, '0')}`;
    events.push(await classifiedMail(system.bus, { queueId, body: sampleMessage(`Message ${i}`, 2048), localRecipients: ['bob@example.test'], inline: true }));
  }
  const database = (await system.db.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db;
  const backends = async () => (await system.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])).rows.map((row) => row.pid);
  const postgresCpu = async () => new Map(await Promise.all((await backends()).map(async (pid) => [pid, await cpuMs(pid)] as const)));

  const stream = system.bus.ns.streamName(Streams.inbound);
  /** Publishes `batch`, as fast as 100 in flight allow or paced at `rate` per second, and waits until `expected` entries are stored and everything acked. */
  const publishAndWait = async (batch: readonly MailClassified[], expected: number) => {
    await sendPaced(batch, (event) => publishClassified(system.bus, event), { ratePerSecond: rate });
    await waitFor(
      async () => {
        const info = await system.bus.jsm.consumers.info(stream, 'mailbox-store');
        const { rows } = await system.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mailbox_entries');
        return info.num_pending === 0 && info.num_ack_pending === 0 && rows[0]?.n === expected;
      },
      { timeoutMs: 300_000, intervalMs: 20, description: `all ${expected} messages stored and acked` },
    );
  };
  if (warmup > 0) await publishAndWait(events.slice(0, warmup), warmup);

  const pgBefore = await postgresCpu();
  const serviceBefore = await cpuMs(service.pid);
  const started = performance.now();
  await publishAndWait(events.slice(warmup), warmup + total);
  const seconds = (performance.now() - started) / 1000;
  const serviceMs = (await cpuMs(service.pid)) - serviceBefore;
  // Backends that came and went meanwhile are missed: the pool keeps its connections (30 s idle timeout).
  let pgMs = 0;
  for (const [pid, ms] of await postgresCpu()) pgMs += ms - (pgBefore.get(pid) ?? 0);
  process.stdout.write(
    `${total} messages${rate === undefined ? '' : ` offered at ${rate} msg/s`} in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} msg/s); ` +
      `mailbox-store ${serviceMs.toFixed(0)} ms CPU = ${(serviceMs / total).toFixed(2)} ms/message; ` +
      `PostgreSQL backends ${pgMs.toFixed(0)} ms CPU = ${(pgMs / total).toFixed(2)} ms/message\n`,
  );
  // SIGTERM, so that a profiling process writes its profile
  await service.stop('SIGTERM');
} finally {
  await other?.stop('SIGKILL');
  await system.cleanup();
}
