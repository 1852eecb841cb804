/**
 * The running relay: Redis for the settled-recipient records, dns2 for MX
 * lookups, a pool of SMTP sessions for connection reuse, and the consumer
 * of Consumers.outboundRelay with the retry schedule as its backoff.
 */
import { Consumers, type OutboundQueued } from '@mail/contracts';
import { Dns2Resolver } from '@mail/dns';
import type { RunningService, ServiceContext } from '@mail/runtime';
import { Redis } from 'ioredis';
import type { outboundRelayConfig } from './config';
import { createHostAttempt } from './delivery/host-attempt';
import { messageRequest } from './delivery/message-content';
import { deliverMessage } from './delivery/message-delivery';
import { observeAttempts } from './attempt-observer';
import { createRelayMetrics } from './metrics';
import { LoggingBounceNotifier } from './queue/bounce-notifier';
import { RedisDoneStore } from './queue/done-store';
import { OutcomeRecorder } from './queue/outcome-recorder';
import { createRelayHandler } from './queue/relay-handler';
import { retryDelayMs, type RetryPolicy } from './queue/retry-policy';
import { openSession, type SmtpTimeouts } from './smtp-client/session';
import { SessionPool } from './smtp-client/session-pool';
import type { ParsedConfig } from '@mail/config';

type RelayContext = ServiceContext<ParsedConfig<typeof outboundRelayConfig>>;

/** A session is not reused after this long (servers limit session time too). */
const MAX_SESSION_AGE_MS = 5 * 60_000;
/** Idle sessions kept per server address. */
const MAX_IDLE_PER_TARGET = 4;
/** Settled-recipient records outlive the message's maximum age by this much (a last retry may come late). */
const DONE_RECORD_MARGIN_MS = 24 * 3_600_000;

export async function startRelay({ config, bus, log, telemetry }: RelayContext): Promise<RunningService> {
  const redis = new Redis(config.redisUrl, { keyPrefix: config.redisKeyPrefix, maxRetriesPerRequest: 2 });
  telemetry.health.add('redis', async () => {
    await redis.ping();
  });
  const resolver = new Dns2Resolver({ servers: config.dnsServers, timeoutMs: config.dnsTimeoutMs });
  const timeouts: SmtpTimeouts = {
    connectMs: config.connectTimeoutMs,
    greetingMs: config.greetingTimeoutMs,
    commandMs: config.commandTimeoutMs,
    dataInitMs: config.dataInitTimeoutMs,
    dataBlockMs: config.dataBlockTimeoutMs,
    dataEndMs: config.dataEndTimeoutMs,
  };
  const pool = new SessionPool((target) => openSession(target, { heloName: config.mailHostname, timeouts }), {
    idleMs: config.connectionIdleMs,
    maxSessionAgeMs: MAX_SESSION_AGE_MS,
    maxIdlePerTarget: MAX_IDLE_PER_TARGET,
  });
  const metrics = createRelayMetrics(telemetry.meter);
  const done = new RedisDoneStore(redis, config.maxAgeMs + DONE_RECORD_MARGIN_MS);
  const policy: RetryPolicy = { scheduleMs: config.retryScheduleMs, maxAgeMs: config.maxAgeMs, maxDeliver: Consumers.outboundRelay.maxDeliver };
  const handler = createRelayHandler({
    done,
    policy,
    log,
    recorder: new OutcomeRecorder({ bus, done, bounces: new LoggingBounceNotifier(log), metrics }),
    deliver: (message: OutboundQueued, recipients) =>
      deliverMessage(message.envelope.mailFrom, recipients, createHostAttempt(pool, messageRequest(message, (ref) => bus.bodies.read(ref))), {
        resolver,
        port: config.smtpPort,
        onAttempt: observeAttempts(message.queueId, log, metrics),
      }),
  });
  const consumer = await bus.consume(Consumers.outboundRelay, handler, {
    concurrency: config.concurrency,
    backoffMs: (deliveryCount) => retryDelayMs(config.retryScheduleMs, deliveryCount),
  });
  log.info({ smtpPort: config.smtpPort, retrySchedule: config.retryScheduleMs, maxAgeMs: config.maxAgeMs }, 'relaying queued mail');
  return {
    async stop() {
      await consumer.stop();
      await pool.close();
      redis.disconnect();
    },
  };
}
