// Tests of message-lifecycle.ts: the dead-letter counter and the delivery age (the send, the term and the retry are covered against a real server in test/bus.test.ts).
import type { JsMsg } from '@nats-io/jetstream';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Consumers } from '@mail/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { received } from '../test/fixtures/mail-received';
import { BusMetrics } from './bus-metrics';
import { encodeJson } from './codec';
import { MessageLifecycle, type ConsumeContext } from './message-lifecycle';

const exporter = new PrometheusExporter({ preventServerStart: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
afterAll(() => metrics.disable());

async function series(name: string): Promise<string[]> {
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics).match(new RegExp(`^${name}\\{.*$`, 'gm')) ?? [];
}
const deadLetters = () => series('mail_bus_dead_letters_total');

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

describe('MessageLifecycle.admit', () => {
  it('records how long each delivered message had been in its stream', async () => {
    const lifecycle = new MessageLifecycle(Consumers.spamFilter, { log, metrics: new BusMetrics(), deadLetter: () => Promise.resolve() });
    const threeDaysAgo = (Date.now() - 3 * 86_400_000 - 60_000) * 1e6;
    const msg = { seq: 7, subject: 's', data: encodeJson(received('AGE00000001')), info: { deliveryCount: 4, timestampNanos: threeDaysAgo } } as unknown as JsMsg;
    expect(await lifecycle.admit(msg)).toMatchObject({ queueId: 'AGE00000001' });
    const buckets = await series('mail_bus_delivery_age_seconds_bucket');
    const count = (le: string) =>
      Number(
        buckets
          .find((line) => line.includes('consumer="spam-filter"') && line.includes(`le="${le}"`))
          ?.split(' ')
          .pop(),
      );
    expect(count('259200')).toBe(0);
    expect(count('345600')).toBe(1);
  });
});
