/**
 * Everything an outbound-relay integration test needs: an isolated NATS
 * namespace and Redis prefix, a dns2 server, SMTP sinks sharing one port on
 * several loopback addresses (some with STARTTLS), the relay as a real
 * process pointed at them (and more replicas on demand), a bus client to
 * queue messages, the delivery events and notices the relay publishes, the
 * real mailctl, and a stand-in for mailbox-store's directory (which senders
 * are "ours").
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Bus } from '@mail/bus';
import { Events, Requests, type DeliveryEvent, type Envelope, type HeaderField, type MailReceived, type OutboundQueued, type Recipient, type ResolveRecipientResponse } from '@mail/contracts';
import {
  createTestNamespace,
  createTestRedisPrefix,
  startDnsServer,
  startServiceProcess,
  startSmtpSink,
  testNatsUrl,
  waitFor,
  workspaceRoot,
  type DnsServerFixture,
  type ServiceProcess,
  type SmtpSink,
  type SmtpSinkOptions,
} from '@mail/testing';

const run = promisify(execFile);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A sink address, optionally with a certificate for STARTTLS (or implicit TLS) and credentials it requires. */
export type SinkSpec = string | ({ readonly host: string } & Pick<SmtpSinkOptions, 'tls' | 'implicitTls' | 'auth'>);

export interface RelayHarness {
  readonly bus: Bus;
  readonly dns: DnsServerFixture;
  /** Sinks by loopback address, all on `port`. */
  readonly sinks: ReadonlyMap<string, SmtpSink>;
  readonly port: number;
  /** The first relay process (`replicas` has every one). */
  readonly relay: ServiceProcess;
  readonly replicas: ServiceProcess[];
  readonly env: Record<string, string>;
  /** Every delivery event published so far. */
  readonly events: DeliveryEvent[];
  /** Notices (and anything else) published to inbound.received: local delivery of notices. */
  readonly received: MailReceived[];
  /** Every outbound.queued message published so far (notices to remote senders among them). */
  readonly queued: OutboundQueued[];
  /** Senders the directory stand-in answers `local` for (sender@origin.test, the default sender, to begin with). */
  readonly localSenders: Set<string>;
  sink(address: string): SmtpSink;
  /** Stores the body and queues a message for `recipients`; returns its queue id. */
  queue(recipients: readonly (string | Recipient)[], options?: QueueOptions): Promise<string>;
  /** Waits until the message has `count` events matching `outcome` (any outcome when absent). */
  waitForEvents(queueId: string, count: number, outcome?: DeliveryEvent['outcome']): Promise<DeliveryEvent[]>;
  /** Starts one more relay replica with the same settings (and `extraEnv`). */
  startReplica(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  /** Runs the real mailctl CLI against this namespace. */
  mailctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Every relay's output so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface QueueOptions {
  readonly body?: Buffer;
  readonly traceHeaders?: HeaderField[];
  readonly mailFrom?: string;
  readonly envelope?: Partial<Omit<Envelope, 'recipients'>>;
  readonly localRecipients?: number;
  readonly queueId?: string;
}

export const defaultBody = Buffer.from('From: sender@origin.test\r\nSubject: relay test\r\n\r\nHello.\r\n');

/** Sinks on every address, all on the port the first one got. */
async function startSinks(specs: readonly SinkSpec[]): Promise<{ sinks: Map<string, SmtpSink>; port: number }> {
  const sinks = new Map<string, SmtpSink>();
  let port = 0;
  for (const spec of specs) {
    const { host, ...options } = typeof spec === 'string' ? { host: spec } : spec;
    const sink = await startSmtpSink({ host, port, ...options });
    port = sink.port;
    sinks.set(host, sink);
  }
  return { sinks, port };
}

/** Stores the body and publishes an outbound.queued event, as spam-filter would. */
async function queueMessage(bus: Bus, recipients: readonly (string | Recipient)[], options: QueueOptions): Promise<string> {
  const queueId = options.queueId ?? `q${randomBytes(8).toString('hex')}`;
  const body = await bus.bodies.put(queueId, [options.body ?? defaultBody]);
  const envelope = {
    mailFrom: options.mailFrom ?? 'sender@origin.test',
    recipients: recipients.map((r): Recipient => (typeof r === 'string' ? { address: r, route: 'remote' } : r)),
    smtputf8: false,
    bodyType: '7BIT' as const,
    ...options.envelope,
  };
  const payload: OutboundQueued = {
    version: 1,
    queueId,
    queuedAt: new Date().toISOString(),
    envelope,
    body,
    traceHeaders: options.traceHeaders ?? [],
    ...(options.localRecipients !== undefined ? { localRecipients: options.localRecipients } : {}),
  };
  await bus.publish(Events.outboundQueued, payload, `${queueId}:outbound`);
  return queueId;
}

/** Collects every payload published on an event subject. */
function collect<T>(bus: Bus, subject: string, into: T[]): { unsubscribe(): void } {
  const subscription = bus.nc.subscribe(subject);
  void (async () => {
    for await (const msg of subscription) into.push(msg.json<T>());
  })();
  return subscription;
}

/** Starts sinks on `sinkSpecs` (same port), the DNS server and the relay; `extraEnv` may depend on the sinks' port. */
export async function startRelayHarness(sinkSpecs: readonly SinkSpec[], extraEnv: Record<string, string> | ((port: number) => Record<string, string>) = {}): Promise<RelayHarness> {
  const namespace = await createTestNamespace('relay');
  const redis = await createTestRedisPrefix('relay');
  const dns = await startDnsServer();
  const { sinks, port } = await startSinks(sinkSpecs);
  const bus = await Bus.connect({ url: testNatsUrl, name: 'relay-test', namespace: namespace.namespace, log: silent });
  const events: DeliveryEvent[] = [];
  const received: MailReceived[] = [];
  const queued: OutboundQueued[] = [];
  const subscriptions = [
    collect(bus, bus.ns.eventSubject(Events.deliveryEvent), events),
    collect(bus, bus.ns.eventSubject(Events.mailReceived), received),
    collect(bus, bus.ns.eventSubject(Events.outboundQueued), queued),
  ];
  // mailbox-store's directory, as far as the relay asks it: is the sender one of ours?
  const localSenders = new Set<string>(['sender@origin.test']);
  bus.serve(Requests.resolveRecipient, async ({ address }): Promise<ResolveRecipientResponse> =>
    localSenders.has(address.toLowerCase()) ? { result: 'local', mailboxes: [address.toLowerCase()] } : { result: 'not-local-domain' },
  );
  await bus.flush();
  const env: Record<string, string> = {
    NATS_URL: testNatsUrl,
    NATS_NAMESPACE: namespace.namespace,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    DNS_SERVERS: dns.address,
    OUTBOUND_DNS_TIMEOUT: '500ms',
    OUTBOUND_SMTP_PORT: String(port),
    OUTBOUND_RETRY_SCHEDULE: '1s,1s,2s',
    OUTBOUND_CONNECT_TIMEOUT: '2s',
    MAIL_HOSTNAME: 'relay.example.test',
    ...(typeof extraEnv === 'function' ? extraEnv(port) : extraEnv),
  };
  const replicas = [await startServiceProcess('outbound-relay', env)];
  const output = () => replicas.map((r) => r.output()).join('\n');
  return {
    bus,
    dns,
    sinks,
    port,
    get relay() {
      return replicas[0] as ServiceProcess;
    },
    replicas,
    env,
    events,
    received,
    queued,
    localSenders,
    sink(address) {
      const sink = sinks.get(address);
      if (!sink) throw new Error(`no sink on ${address}`);
      return sink;
    },
    queue: (recipients, options = {}) => queueMessage(bus, recipients, options),
    async waitForEvents(queueId, count, outcome) {
      const matching = () => events.filter((e) => e.queueId === queueId && (outcome === undefined || e.outcome === outcome));
      try {
        return await waitFor(() => matching().length >= count && matching(), {
          timeoutMs: 30_000,
          description: `${count} ${outcome ?? 'any'} delivery event(s) for ${queueId}`,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- relay output ---\n${output().slice(-4000)}`, { cause: error });
      }
    },
    async startReplica(more = {}) {
      const replica = await startServiceProcess('outbound-relay', { ...env, ...more });
      replicas.push(replica);
      return replica;
    },
    async mailctl(...args) {
      try {
        const { stdout, stderr } = await run(process.execPath, ['apps/mailctl/bin/mailctl.js', ...args], { cwd: workspaceRoot, env: { ...process.env, ...env } });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failure = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
      }
    },
    output,
    async stop() {
      await Promise.allSettled(replicas.map((r) => r.stop('SIGTERM')));
      for (const subscription of subscriptions) subscription.unsubscribe();
      await bus.close();
      await Promise.allSettled([...sinks.values()].map((s) => s.close()));
      await dns.close();
      await Promise.allSettled([namespace.cleanup(), redis.cleanup()]);
    },
  };
}
