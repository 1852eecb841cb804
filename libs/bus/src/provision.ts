/**
 * Provisioning: create or update the streams, durable consumers and body
 * bucket that @mail/contracts names. Idempotent: every service runs it at
 * start-up, so a fresh NATS server (or a new test namespace) just works.
 */
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { Consumers, Streams, type BusNamespace, type BusRole, type ConsumerDefinition, type StreamDefinition } from '@mail/contracts';

export interface ProvisionOptions {
  replicas: number;
  /** How long stream messages are kept (journey, replay); consumers ack long before. */
  maxAgeMs: number;
  /**
   * The most each stream holds (max_bytes); -1: no limit. With a limit a full
   * stream refuses new messages (discard new) instead of dropping its oldest
   * ones: a publish fails, and smtp-ingress answers 451 rather than losing
   * accepted mail.
   */
  maxBytes: number;
  /** JetStream de-duplication window for publish msgIDs. */
  duplicateWindowMs: number;
}

export const defaultProvisionOptions: ProvisionOptions = {
  replicas: 1,
  maxAgeMs: 7 * 24 * 3_600_000,
  maxBytes: -1,
  duplicateWindowMs: 10 * 60_000,
};

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if ((error as { name?: string }).name !== 'StreamNotFoundError' && !/stream not found/i.test(String(error))) throw error;
    await jsm.streams.add(config);
  }
}

function streamConfig(ns: BusNamespace, stream: StreamDefinition, options: ProvisionOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: ns.streamName(stream),
    subjects: ns.streamSubjects(stream),
    description: stream.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: options.replicas,
    max_age: nanos(options.maxAgeMs),
    max_bytes: options.maxBytes,
    discard: options.maxBytes > 0 ? DiscardPolicy.New : DiscardPolicy.Old,
    duplicate_window: nanos(options.duplicateWindowMs),
  };
}

export async function ensureConsumer(jsm: JetStreamManager, ns: BusNamespace, consumer: ConsumerDefinition): Promise<void> {
  await jsm.consumers.add(ns.streamName(consumer.event.stream), {
    durable_name: consumer.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: ns.eventSubject(consumer.event),
    ack_wait: nanos(consumer.ackWaitMs),
    // Unlimited at the server: the consume loop dead-letters after maxDeliver
    // itself, so a message is never dropped silently by the server.
    max_deliver: -1,
    max_ack_pending: 10_000,
  });
}

/**
 * Provision the streams and consumers of `role` (@mail/contracts busRole:
 * the streams a service publishes to or consumes from, its own consumers,
 * the dead-letter stream when it consumes) — what its NATS permissions
 * allow — or, without a role, everything the catalog names.
 */
export async function provisionBus(jsm: JetStreamManager, ns: BusNamespace, options: ProvisionOptions = defaultProvisionOptions, role?: BusRole): Promise<void> {
  for (const stream of role?.provisions ?? Object.values(Streams)) await ensureStream(jsm, streamConfig(ns, stream, options));
  if (role && !role.provisionsDeadLetter) return;
  await ensureStream(jsm, {
    name: ns.deadLetterStreamName(),
    subjects: ns.deadLetterStreamSubjects(),
    description: 'Messages that failed validation or processing, kept for inspection and replay',
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: options.replicas,
    max_age: nanos(30 * 24 * 3_600_000),
  });
  for (const consumer of role?.consumes ?? Object.values(Consumers)) await ensureConsumer(jsm, ns, consumer);
}
