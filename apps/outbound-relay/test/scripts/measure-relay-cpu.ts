/**
 * Rough CPU cost of relaying small messages (not a test): starts a real
 * outbound-relay process from its build in an isolated world (NATS
 * namespace, Redis prefix, a dns2 server whose MX records for four remote
 * domains name four hosts on one SMTP sink on loopback, as `npm run bench`'s
 * outbound scenario has it), publishes N queued messages of about 2 KiB (bodies
 * inline, one recipient each, the four domains in turn) straight on the
 * bus as spam-filter would, 100 publishes in flight, and prints the rate to
 * the last message at the sink, the connections the relay opened per
 * message and its CPU time (utime + stime from /proc/<pid>/stat) per
 * message, after a warm-up of 100 messages.
 *
 *   node --import tsx apps/outbound-relay/test/scripts/measure-relay-cpu.ts [N=2000] [profile directory] [VARIABLE=value ...]
 *
 * With a directory, the relay writes a V8 CPU profile there when it stops.
 * The variables go to the relay (e.g. OUTBOUND_BATCH_SIZE=1).
 * OUTBOUND_RELAY_ENTRY=<main.mjs> measures that build instead of this
 * workspace's (another commit's, built elsewhere and copied under the
 * workspace, e.g. dist/, where its packages resolve: a before/after). Run it
 * with the Node the services run on (node_modules/.bin/node).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { Bus } from '@mail/bus';
import { Consumers, Events, type OutboundQueued } from '@mail/contracts';
import { createTestNamespace, createTestRedisPrefix, startDnsServer, startServiceProcess, startSmtpSink, testNatsUrl, waitFor } from '@mail/testing';

/** Clock ticks per second of utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;
const domains = ['one.remote.test', 'two.remote.test', 'three.remote.test', 'four.remote.test'];
const warmUp = 100;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / ticksPerSecond;
}

/** Another build of the relay as a child process, with what the measurement uses of a ServiceProcess. */
function startBuild(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let stopping = false;
  const exited = once(child, 'exit');
  // A build that cannot start (e.g. outside the workspace, where its packages are not found) ends the measurement at once
  void exited.then(([code]) => {
    if (stopping) return;
    process.stderr.write(`${output}\n${entry} exited with ${String(code)}\n`);
    process.exit(1);
  });
  return {
    pid: child.pid ?? 0,
    output: () => output,
    async stop(signal: NodeJS.Signals) {
      stopping = true;
      child.kill(signal);
      await exited;
    },
  };
}

/** A message of about 2 KiB for `recipient` in 76-character lines, its body inline in the reference (as smtp-ingress sends small ones). */
async function queuedMessage(bus: Bus, index: number): Promise<OutboundQueued> {
  const queueId = `RLY${String(index).padStart(8, '0')}`;
  // 76-character lines, as the bench's test message (and smtp-source -l) has them
  const header = `From: sender@origin.test\r\nTo: rcpt${index}@${domains[index % domains.length]}\r\nSubject: relay ${index}\r\n\r\n`;
  const line = `${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3).slice(0, 76)}\r\n`;
  const text = header + line.repeat(Math.ceil((2048 - header.length) / line.length));
  const body = await bus.bodies.putInlineIfSmall(queueId, [Buffer.from(text)]);
  return {
    version: 1,
    queueId,
    queuedAt: new Date().toISOString(),
    envelope: { mailFrom: 'sender@origin.test', recipients: [{ address: `rcpt${index}@${domains[index % domains.length]}`, route: 'remote' }], smtputf8: false, bodyType: '7BIT' },
    body,
    traceHeaders: [{ name: 'Received', value: `from client.origin.test by mx.origin.test; ${new Date().toUTCString()}` }],
    localRecipients: 0,
  };
}

const args = process.argv.slice(2);
const total = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 2000);
const profileDirectory = args.find((arg) => !/^\d+$/.test(arg) && !arg.includes('='));
const relayEnv = Object.fromEntries(args.filter((arg) => arg.includes('=')).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));

const namespace = await createTestNamespace('relay_cpu');
const redis = await createTestRedisPrefix('relay_cpu');
const dns = await startDnsServer();
const sink = await startSmtpSink({ host: '127.0.0.2' });
const bus = await Bus.connect({ url: testNatsUrl, name: 'relay-cpu', namespace: namespace.namespace, log: silent });
// Each domain its own MX host on the one sink, as in the bench: four destinations, one server address
for (const domain of domains) {
  dns.add(domain, { type: 'MX', preference: 10, exchange: `mx.${domain}` });
  dns.add(`mx.${domain}`, { type: 'A', address: '127.0.0.2' });
}
// warn, as the bench runs the services (an info line per attempt and recipient costs CPU too)
const profiling: Record<string, string> = profileDirectory === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDirectory}` };
const env: Record<string, string> = {
  NATS_URL: testNatsUrl,
  NATS_NAMESPACE: namespace.namespace,
  REDIS_URL: redis.url,
  REDIS_KEY_PREFIX: redis.prefix,
  DNS_SERVERS: dns.address,
  OUTBOUND_SMTP_PORT: String(sink.port),
  MAIL_HOSTNAME: 'relay.example.test',
  LOG_LEVEL: 'warn',
  ...profiling,
  ...relayEnv,
};
const entry = process.env['OUTBOUND_RELAY_ENTRY'];
let other: ReturnType<typeof startBuild> | undefined;
try {
  const relay = entry === undefined ? await startServiceProcess('outbound-relay', env) : (other = startBuild(entry, env));
  const messages: OutboundQueued[] = [];
  for (let i = 0; i < warmUp + total; i++) messages.push(await queuedMessage(bus, i));
  const stream = bus.ns.streamName(Consumers.outboundRelay.event.stream);
  const send = async (batch: readonly OutboundQueued[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (next < batch.length) {
          const message = batch[next++] as OutboundQueued;
          await bus.publish(Events.outboundQueued, message, `${message.queueId}:outbound`);
        }
      }),
    );
    await waitFor(
      async () => {
        const info = await bus.jsm.consumers.info(stream, Consumers.outboundRelay.durable).catch(() => undefined);
        return sink.delivered().length >= warmUp + (batch.length === warmUp ? 0 : total) && info?.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 600_000, intervalMs: 20, description: `${batch.length} messages at the sink and acked` },
    ).catch((error: unknown) => {
      process.stderr.write(relay.output().slice(-4000));
      throw error;
    });
  };
  await send(messages.slice(0, warmUp)); // connections, JIT, the consumer
  const load = loadavg()[0] ?? 0;
  const connectionsBefore = sink.connectionCount;
  const before = await cpuMs(relay.pid);
  const started = performance.now();
  await send(messages.slice(warmUp));
  const seconds = (performance.now() - started) / 1000;
  const ms = (await cpuMs(relay.pid)) - before;
  const connections = sink.connectionCount - connectionsBefore;
  const delivered = sink.delivered().length - warmUp;
  process.stdout.write(
    `${total} messages in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} msg/s); outbound-relay ${ms.toFixed(0)} ms CPU = ${(ms / total).toFixed(2)} ms/message; ` +
      `${(connections / total).toFixed(3)} connections/message; ${delivered} delivered at the sink; load ${load.toFixed(1)} ${JSON.stringify(relayEnv)}\n`,
  );
  // SIGTERM, so that a profiling process writes its profile
  await relay.stop('SIGTERM');
} finally {
  await other?.stop('SIGKILL');
  await bus.close();
  await sink.close();
  await dns.close();
  await Promise.allSettled([namespace.cleanup(), redis.cleanup()]);
}
