/**
 * The consume loop in batches: take up to `maxBatch` messages, or what came
 * within `maxWaitMs` of the first, admit each (an invalid payload is
 * dead-lettered alone, never handed over), give the handler the batch, and
 * settle every message by its own outcome (message-lifecycle.ts: ack, nak
 * with backoff, dead letter).
 *
 * A poison message must not hold back or lose the others: when the handler
 * throws for a whole batch, each of its messages is handed over again alone,
 * one after the other, so the failing one gets its own retry or dead letter
 * and the others their ack. Handlers are idempotent (as for consume.ts), so
 * the second pass over messages the failed batch already touched changes
 * nothing twice.
 *
 * Tracing (OpenTelemetry messaging conventions for batch processing): one
 * `process <subject>` span per batch, linked to each message's producer
 * span; and per message the usual `consume <subject>` span, a child of its
 * producer's span (one trace per message, as one at a time) and linked to
 * the batch span. Each message carries its trace context for the work the
 * handler does on its behalf (publishing its follow-up events).
 *
 * Stopping takes no message further: the batches in flight finish and
 * settle their messages; messages received but not yet handed over are
 * released (nak without delay). A NATS server that still counts this
 * replica's pull request as waiting (2.9 does, until it expires) may send
 * released messages, like those already on their way, to the closed
 * subscription: they come back after ack_wait, as after a crash.
 */
import { ROOT_CONTEXT, SpanKind, context, isSpanContextValid, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { ConsumerDefinition, EventPayload } from '@mail/contracts';
import { MessageLifecycle, failed, keepWorking, type Backoff, type ConsumeContext, type Delivery, type InFlightMessage, type MessageOutcome } from './message-lifecycle';
import type { ConsumerHandle } from './consume';
import { contextFromHeaders } from './trace-headers';

/** One message of a batch, as the handler gets it. */
export interface BatchMessage<T> {
  readonly payload: T;
  readonly delivery: Delivery;
  /** The message's consume span: run the work done for this message alone (its events) inside it with `context.with`. */
  readonly traceContext: Context;
}

/**
 * Handles a batch; resolves to one outcome per message, in the batch's
 * order. Throwing (or a wrong number of outcomes) means the batch as a
 * whole failed: its messages are then handed over again one at a time.
 */
export type BatchHandler<T> = (batch: readonly BatchMessage<T>[]) => Promise<readonly MessageOutcome[]>;

export interface ConsumeBatchesOptions {
  /** Messages per batch at most (default 64). */
  maxBatch?: number;
  /** How long the first message of a batch waits for others (ms, default 5); a full batch goes at once. */
  maxWaitMs?: number;
  /** Batches handled at once by this replica (default 1); the next batch gathers while they run. */
  concurrency?: number;
  /** Backoff before redelivery after a failure (ms), by delivery count and the message's error. */
  backoffMs?: Backoff;
}

/** What the handler sees of a message: not the JetStream message itself, which only this loop settles. */
function handedOver<T>(member: InFlightMessage<T>): BatchMessage<T> {
  return { payload: member.payload, delivery: member.delivery, traceContext: member.traceContext };
}

export function runBatchConsumer<D extends ConsumerDefinition>(
  consumer: Consumer,
  definition: D,
  handler: BatchHandler<EventPayload<D['event']>>,
  options: ConsumeBatchesOptions,
  ctx: ConsumeContext,
): ConsumerHandle {
  const maxBatch = options.maxBatch ?? 64;
  const maxWaitMs = options.maxWaitMs ?? 5;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new RangeError('maxBatch must be a positive integer');
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  const lifecycle = new MessageLifecycle(definition, ctx, options.backoffMs);
  const tracer = trace.getTracer('@mail/bus');
  const inFlight = new Set<Promise<void>>();
  /** Received, not yet handed over. */
  let gathered: JsMsg[] = [];
  /** The first gathered message has waited maxWaitMs: the batch goes as soon as a slot is free. */
  let due = false;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let messages: Awaited<ReturnType<Consumer['consume']>> | undefined;

  function startWaiting(): void {
    due = false;
    clearTimeout(timer);
    timer = setTimeout(() => {
      due = true;
      dispatch();
    }, maxWaitMs);
  }

  /** Hand over full batches, or a partial one that has waited long enough, while batch slots are free. */
  function dispatch(): void {
    while (!stopping && inFlight.size < concurrency && gathered.length > 0 && (gathered.length >= maxBatch || due)) {
      const batch = gathered.slice(0, maxBatch);
      gathered = gathered.slice(maxBatch);
      const task = runBatch(batch)
        .catch((error: unknown) => ctx.log.error({ err: error, consumer: definition.durable }, 'batch consumer failed; its unsettled messages will be redelivered'))
        .finally(() => {
          inFlight.delete(task);
          dispatch();
        });
      inFlight.add(task);
      if (gathered.length > 0) startWaiting();
      else {
        clearTimeout(timer);
        due = false;
      }
    }
  }

  async function runBatch(batch: readonly JsMsg[]): Promise<void> {
    ctx.metrics?.batchSize.record(batch.length, { consumer: definition.durable });
    const admitted: { msg: JsMsg; payload: EventPayload<D['event']> }[] = [];
    await Promise.all(
      batch.map(async (msg) => {
        const payload = await lifecycle.admit(msg);
        if (payload !== undefined) admitted.push({ msg, payload });
      }),
    );
    if (admitted.length === 0) return;
    admitted.sort((a, b) => a.msg.seq - b.msg.seq);
    const batchSpan = startBatchSpan(admitted.map((a) => a.msg));
    const inBatch: Link[] = [{ context: batchSpan.spanContext() }];
    const members = admitted.map(({ msg, payload }) => lifecycle.begin(msg, payload, inBatch));
    const stopKeepingAlive = keepWorking(
      members.map((member) => member.msg),
      definition.ackWaitMs,
    );
    try {
      const outcomes = await context.with(trace.setSpan(ROOT_CONTEXT, batchSpan), () => outcomesOf(members));
      await Promise.all(members.map((member, i) => member.settle(outcomes[i] ?? failed(new Error('no outcome')))));
    } finally {
      stopKeepingAlive();
      batchSpan.end();
    }
  }

  function startBatchSpan(batch: readonly JsMsg[]): Span {
    const links: Link[] = [];
    for (const msg of batch) {
      const producer = trace.getSpanContext(contextFromHeaders(msg.headers));
      if (producer && isSpanContextValid(producer)) links.push({ context: producer });
    }
    const subject = batch[0]?.subject ?? definition.durable;
    return tracer.startSpan(`process ${subject}`, {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': subject,
        'messaging.consumer.group.name': definition.durable,
        'messaging.batch.message_count': batch.length,
      },
    });
  }

  /** The handler's outcomes for the batch; if it fails as a whole, each message's outcome alone. */
  async function outcomesOf(members: readonly InFlightMessage<EventPayload<D['event']>>[]): Promise<MessageOutcome[]> {
    try {
      const outcomes = await handler(members.map(handedOver));
      if (outcomes.length !== members.length) throw new Error(`batch handler gave ${outcomes.length} outcomes for ${members.length} messages`);
      return [...outcomes];
    } catch (error) {
      if (members.length === 1) return [failed(error)];
      ctx.log.warn({ err: error, consumer: definition.durable, messages: members.length }, 'batch failed as a whole; handling its messages one at a time');
      ctx.metrics?.batchFallbacks.add(1, { consumer: definition.durable });
      const outcomes: MessageOutcome[] = [];
      for (const member of members) outcomes.push(await context.with(member.traceContext, () => aloneOutcome(member)));
      return outcomes;
    }
  }

  async function aloneOutcome(member: InFlightMessage<EventPayload<D['event']>>): Promise<MessageOutcome> {
    try {
      const [outcome, ...extra] = await handler([handedOver(member)]);
      if (outcome === undefined || extra.length > 0) throw new Error(`batch handler gave ${extra.length + (outcome ? 1 : 0)} outcomes for 1 message`);
      return outcome;
    } catch (error) {
      return failed(error);
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        // Enough in hand for the batches in flight and the next one; JetStream pulls more as these are taken.
        messages = await consumer.consume({ max_messages: maxBatch * (concurrency + 1) });
        for await (const msg of messages) {
          if (stopping) {
            msg.nak();
            continue;
          }
          gathered.push(msg);
          if (gathered.length === 1) startWaiting();
          dispatch();
          // No slot free and a full batch waiting: read no further until a batch finishes.
          while (!stopping && gathered.length >= maxBatch && inFlight.size >= concurrency) await Promise.race(inFlight);
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
      clearTimeout(timer);
      // Unsubscribe first (close() does at once), then release: a server that checks interest in
      // a waiting pull request then hands the released messages to another replica.
      const closed = messages?.close();
      for (const msg of gathered.splice(0)) msg.nak();
      await closed;
      await loop;
      await Promise.allSettled(inFlight);
    },
  };
}
