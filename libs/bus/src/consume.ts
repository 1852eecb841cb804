/**
 * The consume loop, one message at a time: pull a durable consumer, admit
 * each message (payload validated against its schema), run the handler
 * inside the producer's trace context, then settle it — ack, nak with
 * backoff, or dead letter (message-lifecycle.ts says which, and when).
 */
import { context } from '@opentelemetry/api';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { ConsumerDefinition, EventPayload } from '@mail/contracts';
import { MessageLifecycle, done, failed, keepWorking, type Backoff, type ConsumeContext, type Delivery, type MessageOutcome } from './message-lifecycle';

export interface ConsumeOptions {
  /** Messages processed at once by this replica. */
  concurrency?: number;
  /**
   * Backoff before redelivery after a failure (ms), by delivery count; the
   * handler's error is passed too, so a handler can ask for its own delay.
   */
  backoffMs?: Backoff;
}

export interface ConsumerHandle {
  /** Take no more messages, let the handlers in flight finish and settle their messages. */
  stop(): Promise<void>;
}

export function runConsumer<D extends ConsumerDefinition>(
  consumer: Consumer,
  definition: D,
  handler: (payload: EventPayload<D['event']>, delivery: Delivery) => Promise<void>,
  options: ConsumeOptions,
  ctx: ConsumeContext,
): ConsumerHandle {
  const concurrency = options.concurrency ?? 16;
  const lifecycle = new MessageLifecycle(definition, ctx, options.backoffMs);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let messages: Awaited<ReturnType<Consumer['consume']>> | undefined;

  async function handle(msg: JsMsg): Promise<void> {
    const payload = await lifecycle.admit(msg);
    if (payload === undefined) return;
    const message = lifecycle.begin(msg, payload);
    const stopKeepingAlive = keepWorking([msg], definition.ackWaitMs);
    let outcome: MessageOutcome;
    try {
      await context.with(message.traceContext, () => handler(message.payload, message.delivery));
      outcome = done;
    } catch (error) {
      outcome = failed(error);
    } finally {
      stopKeepingAlive();
    }
    await message.settle(outcome);
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
