// Tests of message-lifecycle.ts: the dead-letter counter (the send, the term and the retry are covered against a real server in test/bus.test.ts).
import type { JsMsg } from '@nats-io/jetstream';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Consumers } from '@mail/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { BusMetrics } from './bus-metrics';
import { MessageLifecycle, type ConsumeContext } from './message-lifecycle';

const exporter = new PrometheusExporter({ preventServerStart: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
afterAll(() => metrics.disable());

async function deadLetters(): Promise<string[]> {
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics).match(/^mail_bus_dead_letters_total\{.*$/gm) ?? [];
}

const message = (seq: number) => ({ seq, info: { deliveryCount: 1 }, term: () => undefined, nak: () => undefined }) as unknown as JsMsg;
const log = { warn: () => undefined, error: () => undefined };

describe('MessageLifecycle', () => {
  it('counts each message it moves to the dead-letter stream, from 0 at start-up, and none whose dead-letter publish failed', async () => {
    const ctx: ConsumeContext = { log, metrics: new BusMetrics(), deadLetter: (msg) => (msg.seq === 3 ? Promise.reject(new Error('no stream')) : Promise.resolve()) };
    const lifecycle = new MessageLifecycle(Consumers.outboundRelay, ctx);
    expect(await deadLetters()).toEqual([expect.stringMatching(/^mail_bus_dead_letters_total\{consumer="outbound-relay".*\} 0$/)]);
    expect(await lifecycle.finishDead(message(1), 'invalid payload')).toBe('dead-lettered');
    expect(await lifecycle.finishDead(message(2), 'permanent failure')).toBe('dead-lettered');
    expect(await lifecycle.finishDead(message(3), 'permanent failure')).toBe('retried');
    expect(await deadLetters()).toEqual([expect.stringMatching(/^mail_bus_dead_letters_total\{consumer="outbound-relay".*\} 2$/)]);
  });
});
