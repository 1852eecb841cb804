/**
 * Typed subject definitions. A definition carries its payload type, so a
 * publisher and a consumer of the same definition are checked by the
 * compiler, and its schema validates payloads at runtime.
 */
import type { ServiceName } from '@mail/service-catalog';
import type { z } from 'zod';

/**
 * Who talks on the bus: the services of @mail/service-catalog and
 * mailctl, the operator's client. Each definition below names the parties
 * that produce, consume, serve or ask for it, which is all the bus
 * permissions (bus-permissions.ts) are made of.
 */
export type BusParty = ServiceName | 'mailctl';

/** A JetStream stream: a family of event subjects kept durably. */
export interface StreamDefinition {
  /** Stream name without the namespace prefix, e.g. `INBOUND`. */
  readonly name: string;
  /** Subject tokens after `<namespace>.<version>.`, e.g. `inbound.>`. */
  readonly subjectPattern: string;
  /** Subject versions the stream captures; a new payload version adds one here. */
  readonly versions: readonly number[];
  readonly description: string;
  /** Parties that read the stream whole for inspection (mailctl trace), through ephemeral ordered consumers; they change nothing. */
  readonly inspectors?: readonly BusParty[];
}

/** A durable event published to JetStream and consumed with explicit ack. */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly stream: StreamDefinition;
  readonly version: number;
  /** Tokens after the version, e.g. `inbound.received`. */
  readonly name: string;
  readonly schema: S;
  /** The parties that publish it. */
  readonly producers: readonly BusParty[];
}

/** A request/reply exchange over core NATS served by a queue group. */
export interface RequestDefinition<Q extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly kind: 'request';
  readonly version: number;
  readonly name: string;
  readonly request: Q;
  readonly response: R;
  /** The service that serves it; its name is the queue group, so replicas share the load. */
  readonly queueGroup: ServiceName;
  /** The parties that send it. */
  readonly clients: readonly BusParty[];
  /**
   * Replies may carry raw octets after their JSON (@mail/bus: an attachment,
   * so bulk data goes without base64 and JSON escaping), at most this many.
   * A reply carries one only when its request asked for it in a field of
   * the request's schema, so a requester that does not know the field never
   * gets one; the response schema says which field the octets stand for.
   */
  readonly attachment?: { readonly maxOctets: number };
}

/**
 * A notice over core NATS: fire and forget, no stream, no ack, no queue
 * group, so every listening process hears it (IDLE sessions on every
 * replica). Lost when no one listens or a connection drops: a listener
 * must be able to resynchronise from the notice's source of truth.
 */
export interface NoticeDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: 'notice';
  readonly version: number;
  /** Tokens after the version, e.g. `mailbox.changed`. */
  readonly name: string;
  readonly schema: S;
  /** The parties that send it. */
  readonly producers: readonly BusParty[];
  /** The parties that listen to it. */
  readonly listeners: readonly BusParty[];
  /**
   * A notice sent on a subject of its own per key (BusNamespace.noticeSubject
   * with a key): a listener subscribes to the keys it has use for instead of
   * hearing every notice. The key of a payload, e.g. the user it concerns.
   */
  keyOf?(payload: z.output<S>): string;
}

/** A durable pull consumer of one event, owned by one service. */
export interface ConsumerDefinition<S extends z.ZodType = z.ZodType> {
  readonly event: EventDefinition<S>;
  /** Durable consumer name, shared by all replicas of the owning service. */
  readonly durable: string;
  /** Deliveries before a message is moved to the dead-letter subject. */
  readonly maxDeliver: number;
  /** How long a delivery may stay unacknowledged before redelivery. */
  readonly ackWaitMs: number;
  /** The service whose replicas consume it (and dead-letter what they cannot process). */
  readonly owner: ServiceName;
}

/**
 * A JetStream key-value bucket: the latest record under each key, kept by
 * one owning service and replicated to every reader that watches it.
 */
export interface BucketDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: 'bucket';
  /** Bucket name without the namespace prefix, e.g. `directory`. */
  readonly name: string;
  /** Part of the bucket's name: a breaking change of the records is a new bucket. */
  readonly version: number;
  /** Schema of every record. */
  readonly schema: S;
  readonly description: string;
  /** The parties that write records. */
  readonly writers: readonly BusParty[];
  /** The parties that watch it. */
  readonly readers: readonly BusParty[];
}

/**
 * A JetStream object store (bodies too large to travel in an event): who
 * writes objects, who reads them, and who deletes them (a delete purges
 * the object's chunks, which takes the right to purge the bucket's stream).
 */
export interface ObjectStoreDefinition {
  readonly kind: 'object-store';
  /** Bucket name without the namespace prefix, e.g. `bodies`. */
  readonly name: string;
  readonly description: string;
  readonly writers: readonly BusParty[];
  readonly readers: readonly BusParty[];
  readonly deleters: readonly BusParty[];
}

export type EventPayload<E> = E extends EventDefinition<infer S> ? z.output<S> : never;
export type NoticePayload<N> = N extends NoticeDefinition<infer S> ? z.output<S> : never;
export type RequestPayload<R> = R extends RequestDefinition<infer Q, z.ZodType> ? z.output<Q> : never;
export type ResponsePayload<R> = R extends RequestDefinition<z.ZodType, infer P> ? z.output<P> : never;
export type BucketRecord<B> = B extends BucketDefinition<infer S> ? z.output<S> : never;

export function defineStream(definition: StreamDefinition): StreamDefinition {
  return definition;
}

export function defineEvent<S extends z.ZodType>(definition: Omit<EventDefinition<S>, 'kind'>): EventDefinition<S> {
  return { kind: 'event', ...definition };
}

export function defineRequest<Q extends z.ZodType, R extends z.ZodType>(definition: Omit<RequestDefinition<Q, R>, 'kind'>): RequestDefinition<Q, R> {
  return { kind: 'request', ...definition };
}

export function defineNotice<S extends z.ZodType>(definition: Omit<NoticeDefinition<S>, 'kind'>): NoticeDefinition<S> {
  return { kind: 'notice', ...definition };
}

export function defineConsumer<S extends z.ZodType>(definition: ConsumerDefinition<S>): ConsumerDefinition<S> {
  return definition;
}

export function defineBucket<S extends z.ZodType>(definition: Omit<BucketDefinition<S>, 'kind'>): BucketDefinition<S> {
  return { kind: 'bucket', ...definition };
}

export function defineObjectStore(definition: Omit<ObjectStoreDefinition, 'kind'>): ObjectStoreDefinition {
  return { kind: 'object-store', ...definition };
}
