/**
 * Horizontal scaling and a rolling update while mail flows (issue 8): two
 * smtp-ingress and two outbound-relay processes at once, with spam-filter
 * and mailbox-store, all on one NATS namespace, PostgreSQL database and
 * Redis prefix. Sixteen SMTP clients that behave like sending MTAs spread a
 * few thousand messages over both ingress replicas — local mail on the MX
 * listener, and authenticated submissions to a remote domain whose MX
 * (from the dns2 server) is an SMTP sink — while a release rolls out as
 * Kubernetes does it: every Deployment at once, each one replica at a time;
 * the ingress and relay replicas with SIGTERM, drain, exit and start again,
 * spam-filter and mailbox-store with a surge (the new process ready before
 * the old one is told to stop). Then
 * every message that got 250 is in its mailbox (PostgreSQL) or at the sink
 * exactly once per recipient, counted by Message-ID, and none that was
 * refused appears anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Consumers, Streams } from '@mail/contracts';
import { freePort, startMailStack, startServiceProcess, startSmtpSink, testNatsUrl, waitFor, type MailStack, type ServiceName, type ServiceProcess, type SmtpSink } from '@mail/testing';
import { copyKey, relayedCopies, storedCopies, totalCopies, type CopyCounts } from './delivered-copies';
import { ReplicaSet } from './replica-set';
import { emptyReport, sendAll, type OutgoingMessage } from './retrying-smtp-sender';

/**
 * Messages to send at least (ROLLING_RESTART_MESSAGES overrides, for a longer
 * run by hand); the clients go on past it until the last restart is done, so
 * that mail flows during every restart however fast the machine is.
 */
const minimum = Number(process.env['ROLLING_RESTART_MESSAGES'] ?? 2000);
const inboundClients = 12;
const submissionClients = 4;
const localUsers = ['bob@example.test', 'carol@example.test', 'dave@example.test'];
const password = 'rolling';

interface PlannedMessage extends OutgoingMessage {
  readonly listener: 'inbound' | 'submission';
  /** Sent with a bare LF, which smtp-ingress refuses at the end of data (550 5.6.11). */
  readonly refusable: boolean;
}

/** Message n: mostly local mail from outside; every fourth a submission to remote (and sometimes local) recipients; one in a hundred refusable. */
function plannedMessage(n: number): PlannedMessage {
  const messageId = `rolling-${n}@crepes.fr`;
  const submission = n % 4 === 1 || n % 8 === 3;
  const refusable = !submission && n % 100 === 98;
  const local = localUsers[n % localUsers.length] as string;
  const to = submission
    ? n % 8 === 3
      ? [`friend${n % 7}@remote.test`, 'carol@example.test']
      : [`friend${n % 7}@remote.test`]
    : n % 10 === 0
      ? [local, localUsers[(n + 1) % localUsers.length] as string]
      : [local];
  const from = submission ? 'bob@example.test' : 'alice@crepes.fr';
  const body = refusable ? `bare\nline feed ${n}\r\n` : `Message number ${n}.\r\n.A line that starts with a dot.\r\n`;
  const content = `Message-ID: <${messageId}>\r\nFrom: <${from}>\r\nTo: ${to.map((t) => `<${t}>`).join(', ')}\r\nSubject: rolling ${n}\r\n\r\n${body}`;
  return { messageId, from, to, content, listener: submission ? 'submission' : 'inbound', refusable };
}

describe('two ingress and two relay replicas through a rolling restart', () => {
  let stack: MailStack;
  let sink: SmtpSink;
  let ingress: ReplicaSet;
  let relay: ReplicaSet;
  let bus: Bus;
  /** spam-filter and mailbox-store processes started by the rollout (the stack stops the ones it started). */
  const surged: ServiceProcess[] = [];
  const ingressPorts: { smtp: number; submission: number }[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink({ host: '127.0.0.2' });
    stack = await startMailStack({
      services: ['mailbox-store', 'spam-filter'],
      env: {
        OUTBOUND_SMTP_PORT: String(sink.port),
        // Mandatory retries after a cut-off attempt come soon, not after the production 5 minutes
        OUTBOUND_RETRY_SCHEDULE: '2s',
        OUTBOUND_DOMAIN_CONCURRENCY: '32',
        // Every client is 127.0.0.1: per-IP limits stay on (shared in Redis) but above this test's load
        SMTP_MAX_CONNECTIONS_PER_IP: '64',
        SMTP_MAX_CONNECTION_RATE: '0',
        SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true',
        SMTP_DRAIN_TIMEOUT: '60s',
        LOG_LEVEL: 'warn',
      },
    });
    stack.dns.add('remote.test', { type: 'MX', preference: 10, exchange: 'mx.remote.test' });
    stack.dns.add('mx.remote.test', { type: 'A', address: '127.0.0.2' });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    for (const user of localUsers) expect((await stack.mailctl('user', 'add', user, '--password', password)).code).toBe(0);
    for (let i = 0; i < 2; i++) ingressPorts.push({ smtp: await freePort(), submission: await freePort() });
    ingress = await ReplicaSet.start(
      'smtp-ingress',
      stack.env,
      ingressPorts.map((p) => ({ SMTP_PORT: String(p.smtp), SUBMISSION_PORT: String(p.submission) })),
    );
    relay = await ReplicaSet.start('outbound-relay', stack.env, [{}, {}]);
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    bus = await Bus.connect({ url: testNatsUrl, name: 'rolling-restart-test', namespace: stack.env['NATS_NAMESPACE'] ?? '', log: silent });
  }, 240_000);
  afterAll(async () => {
    await bus?.close();
    await Promise.allSettled([ingress?.stop(), relay?.stop(), ...surged.map((p) => p.stop('SIGTERM', 30_000))]);
    await stack?.stop();
    await sink?.close();
  }, 120_000);

  /** True when no durable consumer has messages waiting for delivery or for an ack (nothing more can arrive). */
  async function consumersSettled(): Promise<boolean> {
    for (const [stream, consumer] of [
      [Streams.inbound, Consumers.spamFilter],
      [Streams.inbound, Consumers.mailboxStore],
      [Streams.outbound, Consumers.outboundRelay],
    ] as const) {
      const info = await bus.jsm.consumers.info(bus.ns.streamName(stream), consumer.durable);
      if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
    }
    return true;
  }

  it('delivers every accepted message exactly once and none that was refused', async () => {
    const started = Date.now();
    const planned = new Map<string, PlannedMessage>();
    let rolloutDone = false;
    const cursor = { inbound: 0, submission: 0 };
    /** The next message for one listener's clients: message numbers in order, each listener taking its own. */
    const nextFor = (listener: PlannedMessage['listener']) => (): PlannedMessage | undefined => {
      for (;;) {
        const n = cursor[listener]++;
        if (n >= minimum && rolloutDone) return undefined;
        const message = plannedMessage(n);
        if (message.listener !== listener) continue;
        planned.set(message.messageId, message);
        return message;
      }
    };
    const report = emptyReport();
    let sendingDone = false;
    const send = Promise.all([
      sendAll(nextFor('inbound'), { ports: () => ingressPorts.map((p) => p.smtp) }, inboundClients, report),
      sendAll(nextFor('submission'), { ports: () => ingressPorts.map((p) => p.submission), auth: { user: 'bob@example.test', password } }, submissionClients, report),
    ]).finally(() => (sendingDone = true));

    // A release rolls every Deployment at once, each one pod at a time, the next once mail has moved on
    const restartedWhileFlowing: string[] = [];
    const timeline: string[] = [];
    const progress = (share: number): Promise<unknown> => {
      const target = report.outcomes.size + Math.ceil(minimum * share);
      return waitFor(() => sendingDone || report.outcomes.size >= target, { timeoutMs: 180_000, description: `${target} messages answered` });
    };
    const surge = async (name: ServiceName): Promise<void> => {
      const old = stack.services.get(name);
      surged.push(await startServiceProcess(name, stack.env, { readyTimeoutMs: 90_000 }));
      expect(await old?.stop('SIGTERM', 90_000)).toBe(0);
    };
    const rollouts: Record<string, (() => Promise<void>)[]> = {
      'smtp-ingress': [() => ingress.restart(0), () => ingress.restart(1)],
      'outbound-relay': [() => relay.restart(0), () => relay.restart(1)],
      'spam-filter': [() => surge('spam-filter')],
      'mailbox-store': [() => surge('mailbox-store')],
    };
    const roll = async (deployment: string, steps: (() => Promise<void>)[]): Promise<void> => {
      for (const [index, restart] of steps.entries()) {
        const replica = `${deployment} ${index}`;
        if (!sendingDone) restartedWhileFlowing.push(replica);
        const at = Date.now();
        await restart();
        timeline.push(`${replica} ${((Date.now() - at) / 1000).toFixed(1)} s, done at ${report.outcomes.size}`);
        await progress(0.03);
      }
    };
    try {
      await progress(0.05);
      await Promise.all(Object.entries(rollouts).map(([deployment, steps]) => roll(deployment, steps)));
    } finally {
      rolloutDone = true;
      await send;
    }
    const total = planned.size;
    const sendSeconds = (Date.now() - started) / 1000;
    expect(ingress.exitCodes).toEqual([0, 0]);
    expect(relay.exitCodes).toEqual([0, 0]);

    // What the clients were told
    const refusable = [...planned.values()].filter((m) => m.refusable);
    const refused = [...report.outcomes].filter(([, o]) => o.status === 'refused');
    expect(refused.map(([id]) => id).sort()).toEqual(refusable.map((m) => m.messageId).sort());
    for (const [, outcome] of refused) expect(outcome.reply).toMatch(/^550 5\.6\.11 /);
    expect(report.ambiguous.size, `connections lost after the final dot: ${[...report.ambiguous].join(', ')}`).toBe(0);
    const accepted = [...planned.values()].filter((m) => report.outcomes.get(m.messageId)?.status === 'accepted');
    expect(accepted.length).toBe(total - refusable.length);
    // Both replicas took mail, and the restarts were felt by the clients (421 from a draining replica, refused connections)
    const acceptedOn = new Set(
      accepted.map((m) => {
        const o = report.outcomes.get(m.messageId);
        return o?.status === 'accepted' ? o.port : 0;
      }),
    );
    expect(acceptedOn).toEqual(new Set(ingressPorts.flatMap((p) => [p.smtp, p.submission])));
    expect(restartedWhileFlowing.sort(), `mail was still being sent at every restart: ${timeline.join(', ')}`).toEqual(
      Object.entries(rollouts)
        .flatMap(([deployment, steps]) => steps.map((_, index) => `${deployment} ${index}`))
        .sort(),
    );
    expect([...report.retries.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // Where the mail went: every accepted (message, recipient) exactly once, in PostgreSQL or at the sink
    const expected: CopyCounts = new Map();
    for (const message of accepted) for (const to of message.to) expected.set(copyKey(message.messageId, to), 1);
    const expectedTotal = expected.size;
    const databaseUrl = stack.env['DATABASE_URL'] ?? '';
    let delivered: CopyCounts = new Map();
    await waitFor(
      async () => {
        delivered = new Map([...(await storedCopies(databaseUrl)), ...relayedCopies(sink)]);
        return totalCopies(delivered) >= expectedTotal && (await consumersSettled());
      },
      { timeoutMs: 300_000, intervalMs: 1_000, description: `${expectedTotal} copies delivered and every consumer settled (last count ${totalCopies(delivered)})` },
    );
    delivered = new Map([...(await storedCopies(databaseUrl)), ...relayedCopies(sink)]);
    const duplicated = [...delivered].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
    const missing = [...expected.keys()].filter((key) => !delivered.has(key));
    const unexpected = [...delivered.keys()].filter((key) => !expected.has(key));
    expect(duplicated, 'delivered more than once').toEqual([]);
    expect(missing, 'accepted but never delivered').toEqual([]);
    expect(unexpected, 'delivered but never accepted (refused, or unknown)').toEqual([]);
    console.info(
      `rolling restart: ${total} messages (${accepted.length} accepted, ${refused.length} refused), ${expectedTotal} copies; ` +
        `sent in ${sendSeconds.toFixed(1)} s, all delivered after ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `client retries ${JSON.stringify(Object.fromEntries(report.retries))}; restarts (duration, messages answered by then): ${timeline.join(', ')}`,
    );
  }, 600_000);
});
