/**
 * outbound-relay: takes queued outbound mail from JetStream, looks up each
 * recipient domain's MX hosts, relays one copy per destination host over
 * SMTP (STARTTLS when offered or required, DKIM-signed for domains with a
 * key, within per-domain concurrency limits shared by the replicas), records
 * per-recipient outcomes as delivery events, retries temporary failures on a
 * schedule (or, with OUTBOUND_RELAY_HOST, hands every message to a smarthost
 * over verified TLS with AUTH: smarthost/), and tells the sender what NOTIFY asks for with RFC 3464 delivery
 * status notifications (failed, delayed, relayed). Answers mailctl's
 * `queue` and `dkim` requests.
 *
 * The wiring: Redis for what the replicas share (settled recipients, the
 * queue records, message leases, per-domain slots, DKIM keys), dns2 for MX
 * lookups (answers kept for their TTL, OUTBOUND_DNS_CACHE_SIZE), a pool of SMTP sessions for connection reuse, the consumer of
 * Consumers.outboundRelay in batches (queue/batch-relay-handler.ts; one
 * message at a time through queue/relay-handler.ts when a batch has one, or
 * failed as a whole), and the `relay.queue` and `relay.dkim` requests.
 */
import { Consumers, Events, Requests, type OutboundQueued } from '@mail/contracts';
import { CachingResolver, Dns2Resolver } from '@mail/dns';
import type { RunningService, ServiceContext, ServiceDefinition } from '@mail/runtime';
import type { ParsedConfig } from '@mail/config';
import { outboundRelayConfig } from './config';
import { createDkimAdmin } from './dkim/dkim-admin';
import { askingAnyOnce, RedisDkimKeyStore, type DkimKeyStore } from './dkim/dkim-keys';
import { RedisDomainSlots } from './delivery/domain-slots';
import { tracedAttempts } from './delivery/attempt-span';
import { createHostAttempt } from './delivery/host-attempt';
import { prepareMessage } from './delivery/message-content';
import { deliverMessage } from './delivery/message-delivery';
import { deliverBatch } from './delivery/batch-delivery';
import { tlsRequirement } from './delivery/tls-policy';
import { DsnNotifier } from './dsn/dsn-notifier';
import { observeAttempts } from './attempt-observer';
import { createRelayMetrics } from './metrics';
import { RedisDoneStore } from './queue/done-store';
import { RedisMessageLocks } from './queue/message-lock';
import { OutcomeRecorder } from './queue/outcome-recorder';
import { createQueueAdmin } from './queue/queue-admin';
import { RedisQueueStore } from './queue/queue-store';
import { createRelayHandler, DeliveryDeferredError } from './queue/relay-handler';
import { RelayRecords } from './queue/batch-records';
import { createBatchRelayHandler } from './queue/batch-relay-handler';
import { failureRetryDelayMs, type RetryPolicy } from './queue/retry-policy';
import { openSession, SessionPool, type SessionOptions, type SmtpTimeouts } from '@mail/smtp-client';
import { smarthostOf } from './smarthost/relay-host';
import { smarthostSessions } from './smarthost/smarthost-sessions';

type RelayContext = ServiceContext<ParsedConfig<typeof outboundRelayConfig>>;

/** A session is not reused after this long (servers limit session time too). */
const MAX_SESSION_AGE_MS = 5 * 60_000;
/** Records of a message outlive its maximum age by this much (a last retry may come late). */
const RECORD_MARGIN_MS = 24 * 3_600_000;

export const outboundRelayService: ServiceDefinition<typeof outboundRelayConfig> = {
  name: 'outbound-relay',
  config: outboundRelayConfig,
  start: startRelay,
};

async function startRelay({ config, bus, log, telemetry, redis: sharedRedis }: RelayContext): Promise<RunningService> {
  // A remote 250 is recorded with retries (OutcomeRecorder); other Redis failures fail the attempt and JetStream redelivers
  const redis = sharedRedis();
  const dns = new Dns2Resolver({ servers: config.dnsServers, timeoutMs: config.dnsTimeoutMs });
  // Every batch looks up its domains: the answers are kept for their TTL, so a busy destination is asked once a TTL
  const resolver = config.dnsCacheSize > 0 ? new CachingResolver(dns, { maxEntries: config.dnsCacheSize }) : dns;
  const timeouts: SmtpTimeouts = {
    connectMs: config.connectTimeoutMs,
    greetingMs: config.greetingTimeoutMs,
    commandMs: config.commandTimeoutMs,
    dataInitMs: config.dataInitTimeoutMs,
    dataBlockMs: config.dataBlockTimeoutMs,
    dataEndMs: config.dataEndTimeoutMs,
  };
  // Checked before anything starts: a smarthost half configured stops the relay with the variable named
  const smarthost = smarthostOf(config);
  const sessionOptions: SessionOptions = { heloName: config.mailHostname, timeouts };
  const open = smarthost ? smarthostSessions(smarthost, sessionOptions) : (target: Parameters<typeof openSession>[0]) => openSession(target, sessionOptions);
  const pool = new SessionPool(open, {
    idleMs: config.connectionIdleMs,
    maxSessionAgeMs: MAX_SESSION_AGE_MS,
    // Every lane of every batch in flight may hand its session back: keeping
    // fewer idle closed sessions the next messages to the same server needed
    // (npm run bench: 0.55 connections per message, Postfix 0.01).
    maxIdlePerTarget: config.concurrency * config.batchConcurrency,
  });
  const metrics = createRelayMetrics(telemetry.meter);
  const recordTtlMs = config.maxAgeMs + RECORD_MARGIN_MS;
  const done = new RedisDoneStore(redis, recordTtlMs);
  const queue = new RedisQueueStore(redis, recordTtlMs);
  const locks = new RedisMessageLocks(redis);
  const dkimKeys = new RedisDkimKeyStore(redis);
  const slots = new RedisDomainSlots(redis, config.domainConcurrency);
  // The smarthost's certificate is always verified (unless OUTBOUND_RELAY_TLS=none, loopback only)
  const requireTls = smarthost ? () => smarthost.tls !== 'none' : tlsRequirement(config.tlsRequiredDomains);
  const port = smarthost?.port ?? config.smtpPort;
  const routing = smarthost ? { smarthost } : {};
  const readBody = (ref: OutboundQueued['body']) => bus.bodies.read(ref);
  const policy: RetryPolicy = {
    scheduleMs: config.retryScheduleMs,
    maxAgeMs: config.maxAgeMs,
    maxDeliver: Consumers.outboundRelay.maxDeliver,
    delayNoticeAfterMs: config.delayNoticeAfterMs,
    throttleDelayMs: config.throttleDelayMs,
  };
  const notifier = new DsnNotifier({ bus, hostname: config.mailHostname, maxAgeMs: config.maxAgeMs, log });
  const recorder = new OutcomeRecorder({ bus, done, notifier, metrics });
  const requeue = async (message: OutboundQueued, msgId: string) => (await bus.publish(Events.outboundQueued, message, msgId)).seq;
  const deleteBody = (message: OutboundQueued) => bus.bodies.delete(message.body);
  const prepare = (message: OutboundQueued, keys: DkimKeyStore = dkimKeys) => prepareMessage(message, { readBody, keys, log });
  const alone = createRelayHandler({
    done,
    queue,
    locks,
    recorder,
    notifier,
    policy,
    log,
    requeue,
    deleteBody,
    deliver: async (message, recipients, onDestination) =>
      deliverMessage(
        message.envelope.mailFrom,
        recipients,
        tracedAttempts(createHostAttempt(pool, await prepare(message))),
        {
          resolver,
          port,
          onAttempt: observeAttempts(message.queueId, log, metrics),
          slots,
          requireTls,
          ...routing,
        },
        onDestination,
      ),
  });
  const handler = createBatchRelayHandler({
    done,
    queue,
    recorder,
    notifier,
    policy,
    log,
    requeue,
    deleteBody,
    records: new RelayRecords(redis, recordTtlMs),
    prepare: (messages) => {
      const keys = askingAnyOnce(dkimKeys);
      return Promise.all(messages.map((message) => prepare(message, keys)));
    },
    alone,
    deliverBatch: (items, onDelivered) =>
      deliverBatch(items, {
        onDelivered,
        resolver,
        port,
        sessions: pool,
        onAttempt: (queueId) => observeAttempts(queueId, log, metrics),
        slots,
        requireTls,
        messagesPerConnection: config.messagesPerConnection,
        maxConnectionsPerDestination: config.concurrency,
        ...routing,
      }),
  });
  bus.serve(Requests.relayQueue, createQueueAdmin({ done, queue, locks, recorder, requeue, deleteBody, log }));
  bus.serve(Requests.relayDkim, createDkimAdmin(dkimKeys, log));
  const consumer = await bus.consumeBatches(Consumers.outboundRelay, handler, {
    maxBatch: config.batchSize,
    maxWaitMs: config.batchWaitMs,
    concurrency: config.batchConcurrency,
    // A deferral carries its own delay (the recipients' next time); a failure on this side is tried again soon, backing off to the schedule
    backoffMs: (deliveryCount, error) => (error instanceof DeliveryDeferredError ? error.retryInMs : failureRetryDelayMs(config.retryScheduleMs, config.failureRetryMs, deliveryCount)),
  });
  log.info(
    {
      smtpPort: config.smtpPort,
      batchSize: config.batchSize,
      retrySchedule: config.retryScheduleMs,
      maxAgeMs: config.maxAgeMs,
      domainConcurrency: config.domainConcurrency,
      tlsRequired: config.tlsRequiredDomains,
      ...(smarthost
        ? { smarthost: `${smarthost.mxLookup ? smarthost.host : `[${smarthost.host}]`}:${smarthost.port}`, smarthostTls: smarthost.tls, smarthostAuth: smarthost.credentials !== undefined }
        : {}),
    },
    'relaying queued mail',
  );
  return {
    async stop() {
      await consumer.stop();
      await pool.close();
    },
  };
}
