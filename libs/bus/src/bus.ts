/**
 * A service's connection to the bus. One object per process: it owns the
 * NATS connection, knows the namespace, and offers typed publish, consume,
 * request/reply and the body store.
 */
import { SpanKind, context, trace } from '@opentelemetry/api';
import { jetstream, jetstreamManager, type Consumer, type JetStreamClient, type JetStreamManager, type JsMsg, type PubAck } from '@nats-io/jetstream';
import { headers as createHeaders } from '@nats-io/nats-core';
import { Objm } from '@nats-io/obj';
import { StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  BusNamespace,
  ObjectStores,
  busRole,
  inboxPrefixOf,
  objectStoresOf,
  type BucketDefinition,
  type BusParty,
  type ConsumerDefinition,
  type EventDefinition,
  type EventPayload,
  type NoticeDefinition,
  type NoticePayload,
  type RequestDefinition,
  type RequestPayload,
  type ResponsePayload,
} from '@mail/contracts';
import { BodyStore } from './body-store';
import { BusMetrics } from './bus-metrics';
import { encodeJson } from './codec';
import { natsAuthOptions, type NatsConnectionSettings } from './connection-options';
import { runConsumer, type ConsumeOptions, type ConsumerHandle } from './consume';
import { runBatchConsumer, type BatchHandler, type ConsumeBatchesOptions } from './consume-batches';
import type { ConsumeContext, Delivery } from './message-lifecycle';
import { defaultProvisionOptions, ensureConsumer, provisionBus, type ProvisionOptions } from './provision';
import { listenToNotices, sendNotice } from './notices';
import { PublishPipeline } from './publish-pipeline';
import { RecordBucket } from './record-bucket';
import { sendRequest, sendRequestWithAttachment, serveRequests, type ReplyWithAttachment, type RequestHandler } from './request-reply';
import { headersWithTraceContext } from './trace-headers';

export interface BusOptions {
  url: string;
  /** Connection name shown by the NATS server (service name and pid). */
  name: string;
  namespace: string;
  replicas?: number;
  /** Stream max_age in ms (default 7 days): how far back the message journey reaches. */
  streamMaxAgeMs?: number;
  /** max_bytes of every stream of the catalog; -1 or unset: no limit (provision.ts). */
  streamMaxBytes?: number;
  /** How long the object store keeps bodies (must exceed the outbound retry horizon). */
  bodyTtlMs?: number;
  /**
   * Create or update streams, consumers and the body bucket (default true).
   * Clients such as mailctl pass false so they never change a deployment's streams.
   */
  provision?: boolean;
  /**
   * The party this connection acts for (@mail/contracts BusParty, e.g. the
   * service's name): its requests' replies come to its own inbox prefix, and
   * it provisions only what its role touches, as its NATS permissions allow
   * (tools/nats-auth). Unset (tests, tools): the default inbox, and every
   * stream and consumer of the catalog provisioned.
   */
  identity?: BusParty;
  /** Credentials and TLS: @mail/config's NATS settings (connection-options.ts). */
  connection?: NatsConnectionSettings;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class Bus {
  private readonly subscriptions = new Set<Subscription>();
  private readonly consumers: ConsumerHandle[] = [];
  private readonly tracer = trace.getTracer('@mail/bus');
  private readonly metrics = new BusMetrics();
  private readonly durables: { stream: string; durable: string }[] = [];
  private readonly publishes: PublishPipeline;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly ns: BusNamespace,
    readonly bodies: BodyStore,
    private readonly log: BusOptions['log'],
    private readonly replicas: number,
    inboxPrefix: string | undefined,
  ) {
    this.publishes = new PublishPipeline(nc, undefined, inboxPrefix);
  }

  /** Connect, provision streams, consumers and the body bucket (idempotent). */
  static async connect(options: BusOptions): Promise<Bus> {
    const ns = new BusNamespace(options.namespace);
    const role = options.identity === undefined ? undefined : busRole(options.identity);
    const nc = await connect({
      servers: options.url,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      ...natsAuthOptions(options.connection),
      ...(options.identity === undefined ? {} : { inboxPrefix: inboxPrefixOf(options.identity) }),
    });
    // JetStream API calls (provisioning streams and consumers at start-up) get 15 s, not the client's 5 s: a busy
    // server answered a consumer add later than 5 s once, and the service exited during start-up
    const jsm = await jetstreamManager(nc, { timeout: 15_000 });
    const replicas = options.replicas ?? 1;
    const objm = new Objm(nc);
    let openBodies = () => objm.open(ns.bodyBucket(), false);
    if (options.provision !== false) {
      const provision: ProvisionOptions = {
        ...defaultProvisionOptions,
        replicas,
        maxAgeMs: options.streamMaxAgeMs ?? defaultProvisionOptions.maxAgeMs,
        maxBytes: options.streamMaxBytes ?? defaultProvisionOptions.maxBytes,
      };
      await provisionBus(jsm, ns, provision, role);
      if (role === undefined || objectStoresOf(role).includes(ObjectStores.bodies)) {
        const store = await objm.create(ns.bodyBucket(), {
          storage: StorageType.File,
          replicas,
          ttl: nanos(options.bodyTtlMs ?? 7 * 24 * 3_600_000),
          description: ObjectStores.bodies.description,
        });
        openBodies = () => Promise.resolve(store);
      }
    }
    (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') options.log.warn({ status: status.type }, 'nats connection status');
      }
    })().catch(() => undefined);
    const js = jetstream(nc);
    return new Bus(nc, js, jsm, ns, new BodyStore(openBodies, js, ns.bodyBucket()), options.log, replicas, options.identity === undefined ? undefined : inboxPrefixOf(options.identity));
  }

  /**
   * Publish an event and wait for JetStream's ack (at most 10 s). `msgId`
   * makes the publish idempotent within the duplicate window: a copy sent
   * again after a lost ack (publish-pipeline.ts) stores nothing twice.
   * Publishes from many callers are pipelined: one socket write per event
   * loop turn, each caller waiting for its own ack.
   */
  async publish<E extends EventDefinition>(event: E, payload: EventPayload<E>, msgId: string): Promise<PubAck> {
    const subject = this.ns.eventSubject(event);
    const checked = event.schema.safeParse(payload);
    if (!checked.success) throw new Error(`refusing to publish an invalid ${subject} payload: ${checked.error.message}`);
    const started = performance.now();
    let result = 'error';
    const span = this.tracer.startSpan(`publish ${subject}`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } });
    try {
      const ack = await context.with(trace.setSpan(context.active(), span), () =>
        this.publishes.publish({ subject, data: encodeJson(checked.data), msgId, stream: this.ns.streamName(event.stream), headers: headersWithTraceContext() }, 10_000),
      );
      result = ack.duplicate ? 'duplicate' : 'ok';
      return ack;
    } finally {
      this.metrics.publishDuration.record((performance.now() - started) / 1000, { event: event.name, result });
      span.end();
    }
  }

  /** Send a notice to every listener, of its key when it is keyed (core NATS: no stream, no ack; notices.ts). */
  notify<N extends NoticeDefinition>(notice: N, payload: NoticePayload<N>): void {
    sendNotice(this.nc, this.ns, notice, payload, this.log);
  }

  /**
   * Hear the notices of a definition in this process (no queue group) until
   * stopTakingWork or the returned stop: those of `options.key` (a keyed
   * notice), or those sent without a key.
   */
  listen<N extends NoticeDefinition>(notice: N, handler: (payload: NoticePayload<N>) => void, options: { readonly key?: string } = {}): { stop(): void } {
    const subscription = listenToNotices(this.nc, this.ns, notice, handler, this.log, options.key);
    this.subscriptions.add(subscription);
    return {
      stop: () => {
        subscription.unsubscribe();
        this.subscriptions.delete(subscription);
      },
    };
  }

  /** Run a durable pull consumer until stopped, one message per handler call. */
  async consume<D extends ConsumerDefinition>(definition: D, handler: (payload: EventPayload<D['event']>, delivery: Delivery) => Promise<void>, options: ConsumeOptions = {}): Promise<ConsumerHandle> {
    const { consumer, ctx } = await this.openConsumer(definition);
    const handle = runConsumer(consumer, definition, handler, options, ctx);
    this.consumers.push(handle);
    return handle;
  }

  /**
   * Run a durable pull consumer until stopped, handing the handler batches
   * (up to `maxBatch` messages, or what came within `maxWaitMs`); each
   * message is acked, retried or dead-lettered by its own outcome.
   */
  async consumeBatches<D extends ConsumerDefinition>(definition: D, handler: BatchHandler<EventPayload<D['event']>>, options: ConsumeBatchesOptions = {}): Promise<ConsumerHandle> {
    const { consumer, ctx } = await this.openConsumer(definition);
    const handle = runBatchConsumer(consumer, definition, handler, options, ctx);
    this.consumers.push(handle);
    return handle;
  }

  private async openConsumer(definition: ConsumerDefinition): Promise<{ consumer: Consumer; ctx: ConsumeContext }> {
    const stream = this.ns.streamName(definition.event.stream);
    await ensureConsumer(this.jsm, this.ns, definition);
    const consumer = await this.js.consumers.get(stream, definition.durable);
    if (this.durables.length === 0) this.metrics.observePending(() => this.pendingOfConsumers());
    this.durables.push({ stream, durable: definition.durable });
    // a zero sample, so rate() and alerts see the series before the first redelivery
    this.metrics.redeliveries.add(0, { consumer: definition.durable });
    return {
      consumer,
      ctx: { log: this.log, metrics: this.metrics, deadLetter: (msg, reason) => this.deadLetter(definition.event, msg, reason) },
    };
  }

  private async pendingOfConsumers(): Promise<{ consumer: string; waiting: number; unacked: number }[]> {
    return Promise.all(
      this.durables.map(async ({ stream, durable }) => {
        const info = await this.jsm.consumers.info(stream, durable);
        return { consumer: durable, waiting: info.num_pending, unacked: info.num_ack_pending };
      }),
    );
  }

  /** A key-value bucket of the catalog (created if missing, with the bus's replicas), records checked against its schema. */
  bucket<B extends BucketDefinition>(definition: B): Promise<RecordBucket<B>> {
    return RecordBucket.open(this.js, this.ns, definition, this.replicas);
  }

  /** Answer requests of one definition, shared among replicas by queue group. */
  serve<D extends RequestDefinition>(definition: D, handler: RequestHandler<D>): void {
    this.subscriptions.add(serveRequests(this.nc, this.ns, definition, handler, this.log));
  }

  request<D extends RequestDefinition>(definition: D, payload: RequestPayload<D>, timeoutMs = 5_000): Promise<ResponsePayload<D>> {
    return sendRequest(this.nc, this.ns, definition, payload, timeoutMs);
  }

  /**
   * A request whose reply may carry an attachment (the definition declares
   * `attachment`; the request asks for it in its own field): the response
   * and the octets, undefined when the reply carried none (a server older
   * than the field answers without).
   */
  requestWithAttachment<D extends RequestDefinition>(definition: D, payload: RequestPayload<D>, timeoutMs = 5_000): Promise<ReplyWithAttachment<D>> {
    return sendRequestWithAttachment(this.nc, this.ns, definition, payload, timeoutMs);
  }

  private async deadLetter(event: EventDefinition, msg: JsMsg, reason: string): Promise<void> {
    const hdrs = createHeaders();
    if (msg.headers) for (const key of msg.headers.keys()) hdrs.set(key, msg.headers.get(key));
    hdrs.set('Mail-Dead-Reason', reason.replace(/[\r\n]+/g, ' ').slice(0, 1000));
    hdrs.set('Mail-Dead-Subject', msg.subject);
    hdrs.set('Mail-Dead-Sequence', String(msg.seq));
    await this.js.publish(this.ns.deadLetterSubject(event), msg.data, {
      headers: hdrs,
      msgID: `${msg.info.stream}:${msg.seq}`,
      expect: { streamName: this.ns.deadLetterStreamName() },
    });
  }

  /** Readiness: the connection is up. */
  check(): void {
    if (this.nc.isClosed()) throw new Error('NATS connection closed');
  }

  /** Make sure the server has seen every subscription made so far (serve() is ready to answer). */
  async flush(): Promise<void> {
    await this.nc.flush();
  }

  /** Stop taking work: stop consumers (in-flight handlers finish) and request subscriptions. */
  async stopTakingWork(): Promise<void> {
    await Promise.allSettled(this.consumers.splice(0).map((c) => c.stop()));
    const subscriptions = [...this.subscriptions];
    this.subscriptions.clear();
    for (const sub of subscriptions) sub.unsubscribe();
  }

  /** Stop taking work, then drain the connection (publishes in flight complete). */
  async close(): Promise<void> {
    await this.stopTakingWork();
    await this.publishes.settled();
    this.publishes.close();
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}
