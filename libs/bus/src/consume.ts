/**
 * The consume loop: pull a durable consumer, validate each payload against
 * its schema, run the handler inside the producer's trace context, then ack.
 *
 * - invalid payload → dead-letter subject, then term (never silently dropped)
 * - handler throws PermanentError → dead-letter, then term
 * - handler throws anything else → nak with exponential backoff; after
 *   `maxDeliver` deliveries → dead-letter, then term
 * - a crash before the ack → JetStream redelivers after ack_wait; handlers
 *   are idempotent, so redelivery never duplicates an effect.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { ConsumerDefinition, EventPayload } from '@mail/contracts';
import type { z } from 'zod';
import { decodeWith } from './codec';
import type { BusMetrics } from './bus-metrics';
import { PermanentError } from './errors';
import { contextFromHeaders } from './trace-headers';

export interface Delivery {
  /** 1 on first delivery. */
  readonly deliveryCount: number;
  readonly streamSequence: number;
  /** Tell JetStream the handler is still working (extends ack_wait). */
  working(): void;
}

export interface ConsumeOptions {
  /** Messages processed at once by this replica. */
  concurrency?: number;
  /**
   * Backoff before redelivery after a failure (ms), by delivery count; the
   * handler's error is passed too, so a handler can ask for its own delay.
   */
  backoffMs?: (deliveryCount: number, error: unknown) => number;
}

export interface ConsumerHandle {
  stop(): Promise<void>;
}

export interface ConsumeContext {
  deadLetter(msg: JsMsg, reason: string): Promise<void>;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onOutcome?(outcome: 'acked' | 'retried' | 'dead-lettered', redelivered: boolean): void;
  metrics?: BusMetrics;
}

const defaultBackoff = (deliveryCount: number) => Math.min(1000 * 2 ** (deliveryCount - 1), 60_000);

export function runConsumer<D extends ConsumerDefinition>(
  consumer: Consumer,
  definition: D,
  handler: (payload: EventPayload<D['event']>, delivery: Delivery) => Promise<void>,
  options: ConsumeOptions,
  ctx: ConsumeContext,
): ConsumerHandle {
  const concurrency = options.concurrency ?? 16;
  const backoff = options.backoffMs ?? defaultBackoff;
  const inFlight = new Set<Promise<void>>();
  const tracer = trace.getTracer('@mail/bus');
  let stopping = false;
  let messages: Awaited<ReturnType<Consumer['consume']>> | undefined;

  async function handle(msg: JsMsg): Promise<void> {
    const deliveryCount = msg.info.deliveryCount;
    const decoded = decodeWith(definition.event.schema as z.ZodType, msg.data);
    if (!decoded.ok) {
      ctx.log.error({ subject: msg.subject, seq: msg.seq, reason: decoded.reason }, 'invalid payload moved to dead letter');
      return finishDead(msg, decoded.reason);
    }
    if (deliveryCount > definition.maxDeliver) {
      return finishDead(msg, `gave up after ${definition.maxDeliver} deliveries`);
    }
    if (deliveryCount > 1) ctx.metrics?.redeliveries.add(1, { consumer: definition.durable });
    const started = performance.now();
    let outcome = 'acked';
    const parent = contextFromHeaders(msg.headers);
    const span = tracer.startSpan(`consume ${msg.subject}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': msg.subject, 'messaging.nats.delivery_count': deliveryCount } }, parent);
    const keepAlive = setInterval(() => msg.working(), Math.max(1000, Math.floor(definition.ackWaitMs / 3)));
    try {
      await context.with(trace.setSpan(parent, span), () =>
        handler(decoded.value as EventPayload<D['event']>, { deliveryCount, streamSequence: msg.seq, working: () => msg.working() }),
      );
      msg.ack();
      ctx.onOutcome?.('acked', deliveryCount > 1);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      if (error instanceof PermanentError || deliveryCount >= definition.maxDeliver) {
        ctx.log.error({ err: error, subject: msg.subject, seq: msg.seq, deliveryCount }, 'message moved to dead letter');
        outcome = 'dead-lettered';
        await finishDead(msg, (error as Error).message);
      } else {
        outcome = 'retried';
        ctx.log.warn({ err: error, subject: msg.subject, seq: msg.seq, deliveryCount }, 'handler failed; will retry');
        msg.nak(backoff(deliveryCount, error));
        ctx.onOutcome?.('retried', deliveryCount > 1);
      }
    } finally {
      clearInterval(keepAlive);
      ctx.metrics?.consumeDuration.record((performance.now() - started) / 1000, { consumer: definition.durable, outcome });
      span.end();
    }
  }

  async function finishDead(msg: JsMsg, reason: string): Promise<void> {
    try {
      await ctx.deadLetter(msg, reason);
      msg.term(reason.slice(0, 200));
      ctx.onOutcome?.('dead-lettered', msg.info.deliveryCount > 1);
    } catch (error) {
      // Could not record it: leave it to be redelivered rather than drop it.
      ctx.log.error({ err: error, seq: msg.seq }, 'dead-letter publish failed; message will be redelivered');
      msg.nak(backoff(msg.info.deliveryCount, error));
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        messages = await consumer.consume({ max_messages: concurrency * 2 });
        for await (const msg of messages) {
          while (inFlight.size >= concurrency) await Promise.race(inFlight);
          const task = handle(msg).finally(() => inFlight.delete(task));
          inFlight.add(task);
        }
      } catch (error) {
        if (stopping) break;
        ctx.log.warn({ err: error }, 'consumer interrupted; resubscribing');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      await messages?.close();
      await loop;
      await Promise.allSettled(inFlight);
    },
  };
}
