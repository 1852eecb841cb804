/**
 * Everything an outbound-relay integration test needs: an isolated NATS
 * namespace and Redis prefix, a dns2 server, SMTP sinks sharing one port on
 * several loopback addresses, the relay as a real process pointed at them,
 * a bus client to queue messages, and the delivery events it publishes.
 */
import { randomBytes } from 'node:crypto';
import { Bus } from '@mail/bus';
import { Events, type DeliveryEvent, type HeaderField } from '@mail/contracts';
import {
  createTestNamespace,
  createTestRedisPrefix,
  startDnsServer,
  startServiceProcess,
  startSmtpSink,
  testNatsUrl,
  waitFor,
  type DnsServerFixture,
  type ServiceProcess,
  type SmtpSink,
} from '@mail/testing';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface RelayHarness {
  readonly bus: Bus;
  readonly dns: DnsServerFixture;
  /** Sinks by loopback address, all on `port`. */
  readonly sinks: ReadonlyMap<string, SmtpSink>;
  readonly port: number;
  readonly relay: ServiceProcess;
  /** Every delivery event published so far. */
  readonly events: DeliveryEvent[];
  sink(address: string): SmtpSink;
  /** Stores the body and queues a message for `recipients`; returns its queue id. */
  queue(recipients: readonly string[], options?: QueueOptions): Promise<string>;
  /** Waits until the message has `count` events matching `outcome` (any outcome when absent). */
  waitForEvents(queueId: string, count: number, outcome?: DeliveryEvent['outcome']): Promise<DeliveryEvent[]>;
  stop(): Promise<void>;
}

export interface QueueOptions {
  readonly body?: Buffer;
  readonly traceHeaders?: HeaderField[];
  readonly mailFrom?: string;
}

export const defaultBody = Buffer.from('From: sender@origin.test\r\nSubject: relay test\r\n\r\nHello.\r\n');

/** Sinks on every address, all on the port the first one got. */
async function startSinks(addresses: readonly string[]): Promise<{ sinks: Map<string, SmtpSink>; port: number }> {
  const sinks = new Map<string, SmtpSink>();
  let port = 0;
  for (const host of addresses) {
    const sink = await startSmtpSink({ host, port });
    port = sink.port;
    sinks.set(host, sink);
  }
  return { sinks, port };
}

/** Stores the body and publishes an outbound.queued event, as spam-filter would. */
async function queueMessage(bus: Bus, recipients: readonly string[], options: QueueOptions): Promise<string> {
  const queueId = `q${randomBytes(8).toString('hex')}`;
  const body = await bus.bodies.put(queueId, [options.body ?? defaultBody]);
  const envelope = {
    mailFrom: options.mailFrom ?? 'sender@origin.test',
    recipients: recipients.map((address) => ({ address, route: 'remote' as const })),
    smtputf8: false,
    bodyType: '7BIT' as const,
  };
  const payload = { version: 1 as const, queueId, queuedAt: new Date().toISOString(), envelope, body, traceHeaders: options.traceHeaders ?? [] };
  await bus.publish(Events.outboundQueued, payload, `${queueId}:outbound`);
  return queueId;
}

/** Waits for events of one message; on timeout the error carries the relay's recent output. */
async function waitForEvents(events: DeliveryEvent[], relay: ServiceProcess, queueId: string, count: number, outcome?: DeliveryEvent['outcome']) {
  const matching = () => events.filter((e) => e.queueId === queueId && (outcome === undefined || e.outcome === outcome));
  try {
    return await waitFor(() => matching().length >= count && matching(), {
      timeoutMs: 30_000,
      description: `${count} ${outcome ?? 'any'} delivery event(s) for ${queueId}`,
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- relay output ---\n${relay.output().slice(-4000)}`, { cause: error });
  }
}

/** Starts sinks on `sinkAddresses` (same port), the DNS server and the relay. */
export async function startRelayHarness(sinkAddresses: readonly string[], extraEnv: Record<string, string> = {}): Promise<RelayHarness> {
  const namespace = await createTestNamespace('relay');
  const redis = await createTestRedisPrefix('relay');
  const dns = await startDnsServer();
  const { sinks, port } = await startSinks(sinkAddresses);
  const bus = await Bus.connect({ url: testNatsUrl, name: 'relay-test', namespace: namespace.namespace, log: silent });
  const events: DeliveryEvent[] = [];
  const subscription = bus.nc.subscribe(bus.ns.eventSubject(Events.deliveryEvent));
  void (async () => {
    for await (const msg of subscription) events.push(msg.json<DeliveryEvent>());
  })();
  const relay = await startServiceProcess('outbound-relay', {
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
    ...extraEnv,
  });
  return {
    bus,
    dns,
    sinks,
    port,
    relay,
    events,
    sink(address) {
      const sink = sinks.get(address);
      if (!sink) throw new Error(`no sink on ${address}`);
      return sink;
    },
    queue: (recipients, options = {}) => queueMessage(bus, recipients, options),
    waitForEvents: (queueId, count, outcome) => waitForEvents(events, relay, queueId, count, outcome),
    async stop() {
      await relay.stop('SIGTERM');
      subscription.unsubscribe();
      await bus.close();
      await Promise.allSettled([...sinks.values()].map((s) => s.close()));
      await dns.close();
      await Promise.allSettled([namespace.cleanup(), redis.cleanup()]);
    },
  };
}
