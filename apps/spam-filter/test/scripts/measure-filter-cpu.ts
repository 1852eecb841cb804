/**
 * Rough CPU cost of classifying small messages (not a test): starts a real
 * spam-filter process from its build in an isolated world (its own NATS
 * namespace and Redis prefix, a dns2 server with a DNSBL zone and a domain
 * list), trains the classifier so Bayes takes part, publishes N `received`
 * events of small corpus messages (bodies inline, as smtp-ingress sends
 * them) from 50 client addresses straight on the bus (the ham senders'
 * domains publish SPF and DMARC records that pass, the spam senders'
 * domains, nearly each message its own, publish nothing), 100 publishes in
 * flight, waits until every one is classified and acked, and prints the
 * process's CPU time (utime + stime from /proc/<pid>/stat) per message,
 * with the rate.
 *
 *   node --import tsx apps/spam-filter/test/scripts/measure-filter-cpu.ts [N=2000] [profile directory] [--rate R] [--warmup W]
 *
 * With --rate, the events are published at R per second instead of as fast
 * as possible: at the bench latency scenario's 200 msg/s the batches are
 * small (one or two messages), so what each batch costs whatever its size
 * shows. --warmup W first classifies W more messages unmeasured (the first
 * messages load mailauth and mailparser and warm the JIT). --untrained
 * leaves the classifier untrained, as the bench does (Bayes takes no part).
 *
 * With a directory, spam-filter writes a V8 CPU profile there when it stops.
 * SPAM_FILTER_ENTRY=<main.mjs> measures that build instead of this
 * workspace's (another commit's, built elsewhere: a before/after; it needs
 * a node_modules above it). Run it with the Node the services run on
 * (node_modules/.bin/node): the service is started with the same node.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Bus } from '@mail/bus';
import { Events, Requests, Streams, type MailReceived } from '@mail/contracts';
import { createTestNamespace, createTestRedisPrefix, freePort, sendPaced, startDnsServer, startServiceProcess, testNatsUrl, waitFor } from '@mail/testing';
import { buildCorpus } from '../synthetic-corpus';

/** Clock ticks per second of utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / ticksPerSecond;
}

/** Another build as a child process, with what the measurement uses of a ServiceProcess. */
async function startBuild(entry: string, env: Record<string, string>) {
  const opsPort = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { env: { ...process.env, ...env, HTTP_PORT: String(opsPort) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  await waitFor(async () => (await fetch(`http://127.0.0.1:${opsPort}/readyz`).catch(() => undefined))?.ok === true, { timeoutMs: 30_000, description: `${entry} ready` }).catch((error: unknown) => {
    process.stderr.write(output);
    throw error;
  });
  return {
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const { values: flags, positionals } = parseArgs({ allowPositionals: true, options: { rate: { type: 'string' }, warmup: { type: 'string' }, untrained: { type: 'boolean' } } });
const total = Number(positionals[0] ?? 2000);
const profileDirectory = positionals[1];
const rate = flags.rate === undefined ? undefined : Number(flags.rate);
const warmup = Number(flags.warmup ?? 0);
const namespace = await createTestNamespace('sfcpu');
const redis = await createTestRedisPrefix('sfcpu');
const dns = await startDnsServer();
const bus = await Bus.connect({ url: testNatsUrl, name: 'measure-filter-cpu', namespace: namespace.namespace, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
let service: { pid: number; stop(): Promise<unknown> } | undefined;
try {
  const clients = Array.from({ length: 50 }, (_, i) => `203.0.113.${i + 1}`);
  dns.zone('bl.test', 60);
  dns.zone('dbl.test', 60);
  for (const ip of clients.slice(0, 5)) dns.listDnsbl('bl.test', ip);
  dns.add('top.dbl.test', { type: 'A', address: '127.0.1.2' });
  for (const domain of ['work.test', 'family.test', 'university.test', 'club.test', 'library.test']) {
    dns.add(domain, { type: 'TXT', text: 'v=spf1 ip4:203.0.113.0/24 -all' });
    dns.add(`_dmarc.${domain}`, { type: 'TXT', text: 'v=DMARC1; p=none' });
  }
  const env = {
    NATS_URL: testNatsUrl,
    NATS_NAMESPACE: namespace.namespace,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    DNS_SERVERS: dns.address,
    DNSBL_ZONES: 'bl.test*3',
    DBL_ZONES: 'dbl.test*2',
    SPAM_BAYES_MIN_MESSAGES: '20',
    MAIL_HOSTNAME: 'mx.example.test',
    // warn, as the bench runs the services (an info line per classified message costs CPU too)
    LOG_LEVEL: 'warn',
    ...(profileDirectory === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDirectory}` }),
  };
  const entry = process.env['SPAM_FILTER_ENTRY'];
  service = entry === undefined ? await startServiceProcess('spam-filter', env) : await startBuild(entry, env);

  const training = buildCorpus(flags.untrained === true ? 0 : 20, 7);
  for (const [i, message] of [...training.spam, ...training.ham].entries()) {
    await bus.request(Requests.spamTrain, { version: 1, class: message.kind, message: message.raw.toString('base64'), source: `training#${i}` });
  }
  const corpus = buildCorpus(Math.ceil((warmup + total) / 2), 11);
  const messages = corpus.spam.flatMap((spam, i) => [spam, corpus.ham[i] ?? spam]).slice(0, warmup + total);
  const events: MailReceived[] = [];
  for (const [i, message] of messages.entries()) {
    const queueId = `CPU${String(i).padStart(8, '0')}`;
    const body = await bus.bodies.putInlineIfSmall(queueId, [message.raw]);
    const from = /^From: .*?([^\s<>]+@[^\s<>]+)/m.exec(message.raw.toString('latin1'))?.[1] ?? 'someone@example.test';
    events.push({
      version: 1,
      queueId,
      receivedAt: new Date().toISOString(),
      session: { listener: 'inbound', clientIp: clients[i % clients.length] ?? '203.0.113.1', helo: 'client.test', tls: false },
      envelope: { mailFrom: from, recipients: [{ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test' }], smtputf8: false, bodyType: '7BIT' },
      body,
      traceHeaders: [],
    });
  }

  const classified = new Set<string>();
  const subscription = bus.nc.subscribe(bus.ns.eventSubject(Events.mailClassified));
  void (async () => {
    for await (const msg of subscription) classified.add(msg.json<{ queueId: string }>().queueId);
  })();
  const stream = bus.ns.streamName(Streams.inbound);
  /** Publishes `batch`, as fast as 100 in flight allow or paced at `rate` per second, and waits until every event so far is classified and acked. */
  const publishAndWait = async (batch: readonly MailReceived[], expected: number) => {
    await sendPaced(batch, (event) => bus.publish(Events.mailReceived, event, event.queueId), { ratePerSecond: rate });
    await waitFor(
      async () => {
        const info = await bus.jsm.consumers.info(stream, 'spam-filter');
        return classified.size === expected && info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 300_000, intervalMs: 20, description: `all ${expected} messages classified and acked` },
    );
  };
  if (warmup > 0) await publishAndWait(events.slice(0, warmup), warmup);
  const before = await cpuMs(service.pid);
  const started = performance.now();
  await publishAndWait(events.slice(warmup), warmup + total);
  const seconds = (performance.now() - started) / 1000;
  const serviceMs = (await cpuMs(service.pid)) - before;
  subscription.unsubscribe();
  process.stdout.write(
    `${total} messages${rate === undefined ? '' : ` offered at ${rate} msg/s`} in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} msg/s); spam-filter ${serviceMs.toFixed(0)} ms CPU = ${(serviceMs / total).toFixed(2)} ms/message\n`,
  );
} finally {
  await service?.stop();
  await bus.close();
  await dns.close();
  await namespace.cleanup();
  await redis.cleanup();
}
