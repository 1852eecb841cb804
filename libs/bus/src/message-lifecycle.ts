/**
 * The life of one JetStream message, whichever loop pulled it (consume.ts
 * one at a time, consume-batches.ts in batches): its payload validated
 * against the contract, its consume span started in the producer's trace
 * context, and its end decided by what the handler made of it:
 *
 * - invalid payload → dead-letter subject, then term (never silently dropped)
 * - handler failed with PermanentError → dead-letter, then term
 * - handler failed otherwise → nak with backoff; after `maxDeliver`
 *   deliveries → dead-letter, then term
 * - a crash before the ack → JetStream redelivers after ack_wait; handlers
 *   are idempotent, so redelivery never duplicates an effect.
 */
import { SpanKind, SpanStatusCode, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';
import type { ConsumerDefinition, EventPayload } from '@mail/contracts';
import type { z } from 'zod';
import type { BusMetrics } from './bus-metrics';
import { decodeWith } from './codec';
import { PermanentError } from './errors';
import { contextFromHeaders } from './trace-headers';

export interface Delivery {
  /** 1 on first delivery. */
  readonly deliveryCount: number;
  readonly streamSequence: number;
  /** Tell JetStream the handler is still working (extends ack_wait). */
  working(): void;
}

/** What a handler made of one message: done (acked), or failed (retried or dead-lettered, see above). */
export type MessageOutcome = { readonly status: 'done' } | { readonly status: 'failed'; readonly error: unknown };

export const done: MessageOutcome = { status: 'done' };

export function failed(error: unknown): MessageOutcome {
  return { status: 'failed', error };
}

/** The outcome of one message's work: done when `work` resolves, failed with what it rejects with. */
export async function outcomeOf(work: Promise<unknown>): Promise<MessageOutcome> {
  try {
    await work;
    return done;
  } catch (error) {
    return failed(error);
  }
}

/** How a message ended: what the loop reports to metrics and `onOutcome`. */
export type Settlement = 'acked' | 'retried' | 'dead-lettered';

export interface ConsumeContext {
  deadLetter(msg: JsMsg, reason: string): Promise<void>;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onOutcome?(outcome: Settlement, redelivered: boolean): void;
  metrics?: BusMetrics;
}

/** Backoff before redelivery after a failure (ms), by delivery count and the handler's error. */
export type Backoff = (deliveryCount: number, error: unknown) => number;

export const defaultBackoff: Backoff = (deliveryCount) => Math.min(1000 * 2 ** (deliveryCount - 1), 60_000);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One admitted message while its handler works: its span and trace context, settled exactly once. */
export interface InFlightMessage<T> {
  readonly msg: JsMsg;
  readonly payload: T;
  readonly delivery: Delivery;
  /** The consume span in the producer's trace: the message's own work runs inside it. */
  readonly traceContext: Context;
  settle(outcome: MessageOutcome): Promise<Settlement>;
}

export class MessageLifecycle<D extends ConsumerDefinition> {
  readonly #tracer = trace.getTracer('@mail/bus');

  constructor(
    private readonly definition: D,
    private readonly ctx: ConsumeContext,
    private readonly backoff: Backoff = defaultBackoff,
  ) {
    // a zero sample, so increase() and the dead-letter alert see the series before the first one
    ctx.metrics?.deadLetters.add(0, { consumer: definition.durable });
  }

  /**
   * The validated payload of a message fit for the handler; an invalid one,
   * or one delivered more than maxDeliver times, is dead-lettered here and
   * gives undefined.
   */
  async admit(msg: JsMsg): Promise<EventPayload<D['event']> | undefined> {
    const decoded = decodeWith(this.definition.event.schema as z.ZodType, msg.data);
    if (!decoded.ok) {
      this.ctx.log.error({ subject: msg.subject, seq: msg.seq, reason: decoded.reason }, 'invalid payload moved to dead letter');
      await this.finishDead(msg, decoded.reason);
      return undefined;
    }
    const deliveryCount = msg.info.deliveryCount;
    if (deliveryCount > this.definition.maxDeliver) {
      await this.finishDead(msg, `gave up after ${this.definition.maxDeliver} deliveries`);
      return undefined;
    }
    if (deliveryCount > 1) this.ctx.metrics?.redeliveries.add(1, { consumer: this.definition.durable });
    this.ctx.metrics?.deliveryAge.record(Math.max(0, Date.now() / 1000 - msg.info.timestampNanos / 1e9), { consumer: this.definition.durable });
    return decoded.value as EventPayload<D['event']>;
  }

  /** Start the handling of an admitted message: its consume span, a child of the producer's span (and linked to `links`, e.g. its batch). */
  begin(msg: JsMsg, payload: EventPayload<D['event']>, links: readonly Link[] = []): InFlightMessage<EventPayload<D['event']>> {
    const started = performance.now();
    const deliveryCount = msg.info.deliveryCount;
    const parent = contextFromHeaders(msg.headers);
    const span = this.#tracer.startSpan(
      `consume ${msg.subject}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': msg.subject, 'messaging.nats.delivery_count': deliveryCount },
        links: [...links],
      },
      parent,
    );
    let settled: Promise<Settlement> | undefined;
    return {
      msg,
      payload,
      delivery: { deliveryCount, streamSequence: msg.seq, working: () => msg.working() },
      traceContext: trace.setSpan(parent, span),
      settle: (outcome) => (settled ??= this.#settle(msg, span, started, outcome)),
    };
  }

  async #settle(msg: JsMsg, span: Span, started: number, outcome: MessageOutcome): Promise<Settlement> {
    let settlement: Settlement;
    try {
      if (outcome.status === 'done') {
        msg.ack();
        settlement = 'acked';
        this.ctx.onOutcome?.('acked', msg.info.deliveryCount > 1);
      } else {
        settlement = await this.#fail(msg, span, outcome.error);
      }
    } finally {
      span.end();
    }
    this.ctx.metrics?.consumeDuration.record((performance.now() - started) / 1000, { consumer: this.definition.durable, outcome: settlement });
    return settlement;
  }

  async #fail(msg: JsMsg, span: Span, error: unknown): Promise<Settlement> {
    const deliveryCount = msg.info.deliveryCount;
    span.recordException(error instanceof Error ? error : new Error(messageOf(error)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
    if (error instanceof PermanentError || deliveryCount >= this.definition.maxDeliver) {
      this.ctx.log.error({ err: error, subject: msg.subject, seq: msg.seq, deliveryCount }, 'message moved to dead letter');
      return this.finishDead(msg, messageOf(error));
    }
    this.ctx.log.warn({ err: error, subject: msg.subject, seq: msg.seq, deliveryCount }, 'handler failed; will retry');
    msg.nak(this.backoff(deliveryCount, error));
    this.ctx.onOutcome?.('retried', deliveryCount > 1);
    return 'retried';
  }

  /** Publish to the dead-letter subject, then term; if that publish fails, nak instead (redelivered rather than dropped). */
  async finishDead(msg: JsMsg, reason: string): Promise<Settlement> {
    try {
      await this.ctx.deadLetter(msg, reason);
      // No reason on the term: the dead letter's headers carry it, and a NATS server before 2.10.4
      // (Debian's 2.9) takes `+TERM <reason>` for an unknown ack and redelivers the message forever.
      msg.term();
      this.ctx.metrics?.deadLetters.add(1, { consumer: this.definition.durable });
      this.ctx.onOutcome?.('dead-lettered', msg.info.deliveryCount > 1);
      return 'dead-lettered';
    } catch (error) {
      this.ctx.log.error({ err: error, seq: msg.seq }, 'dead-letter publish failed; message will be redelivered');
      msg.nak(this.backoff(msg.info.deliveryCount, error));
      return 'retried';
    }
  }
}

/** Extend ack_wait of `messages` while their handler works; returns the function that stops it. */
export function keepWorking(messages: readonly JsMsg[], ackWaitMs: number): () => void {
  const timer = setInterval(
    () => {
      for (const msg of messages) msg.working();
    },
    Math.max(1000, Math.floor(ackWaitMs / 3)),
  );
  return () => clearInterval(timer);
}
