/**
 * Integration: the spans of a batch consumer against a real NATS server —
 * one `process` span per batch, linked to each message's producer span,
 * and per message a `consume` span that is a child of its producer's span
 * (one trace per message) and linked to the batch; the work the handler
 * does inside a message's trace context lands under that message's span.
 */
import { SpanKind, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Events, Streams } from '@mail/contracts';
import { createTestNamespace, testNatsUrl, waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus, done } from '../src';
import { received, silent } from './fixtures/mail-received';
import { testConsumer } from './fixtures/test-consumer';

const exporter = new InMemorySpanExporter();
// W3C trace context propagation and the async-hooks context manager, as in the services
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();

describe('spans of a batch consumer', () => {
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let bus: Bus;

  beforeAll(async () => {
    namespace = await createTestNamespace('batchtrace');
    bus = await Bus.connect({ url: testNatsUrl, name: 'consume-batches-trace-test', namespace: namespace.namespace, log: silent });
  });
  afterAll(async () => {
    await bus?.close();
    await namespace?.cleanup();
  });

  it('links the batch span to every message, and keeps each message in its own trace', async () => {
    const ids = ['TRACED000001', 'TRACED000002', 'TRACED000003'];
    for (const id of ids) await bus.publish(Events.mailReceived, received(id), id);
    const sizes: number[] = [];
    const handle = await bus.consumeBatches(
      testConsumer('traced'),
      async (batch) => {
        sizes.push(batch.length);
        for (const message of batch) context.with(message.traceContext, () => trace.getTracer('test').startSpan(`work ${message.payload.queueId}`).end());
        return batch.map(() => done);
      },
      { maxBatch: 10, maxWaitMs: 200 },
    );
    await waitFor(async () => (await bus.jsm.consumers.info(bus.ns.streamName(Streams.inbound), 'traced')).ack_floor.stream_seq >= 3, { description: 'all three acked' });
    await handle.stop();
    expect(sizes).toEqual([3]);

    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.filter((span) => span.name === name);
    const subject = bus.ns.eventSubject(Events.mailReceived);
    const publishes = named(`publish ${subject}`);
    const consumes = named(`consume ${subject}`);
    const [batch, ...otherBatches] = named(`process ${subject}`);
    expect(otherBatches).toEqual([]);
    expect(batch?.kind).toBe(SpanKind.CONSUMER);
    expect(batch?.attributes['messaging.batch.message_count']).toBe(3);
    expect(batch?.links.map((link) => link.context.spanId).sort()).toEqual(publishes.map((span) => span.spanContext().spanId).sort());

    expect(consumes).toHaveLength(3);
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    for (const consume of consumes) {
      const producer = publishes.find((span) => span.spanContext().spanId === parentOf(consume));
      expect(producer?.spanContext().traceId).toBe(consume.spanContext().traceId);
      expect(consume.links.map((link) => link.context.spanId)).toEqual([batch?.spanContext().spanId]);
    }
    for (const id of ids) {
      const [work] = named(`work ${id}`);
      const consume = consumes.find((span) => span.spanContext().spanId === parentOf(work as ReadableSpan));
      expect(consume, `work ${id} under a consume span`).toBeDefined();
    }
    expect(new Set(consumes.map((span) => span.spanContext().traceId)).size).toBe(3);
  });
});
