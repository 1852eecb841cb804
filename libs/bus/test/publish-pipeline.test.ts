// Tests of publish-pipeline.ts against real NATS servers: many publishes in flight, each settled by its own ack; a NATS restart in the middle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events, Streams } from '@mail/contracts';
import { createTestNamespace, startPrivateNats, testNatsUrl, waitFor, type PrivateNats } from '@mail/testing';
import { Bus, PublishFailedError } from '../src';
import { PublishPipeline } from '../src/publish-pipeline';
import { received, silent } from './fixtures/mail-received';

/** The queue ids of the received events in the INBOUND stream, each as often as it is stored. */
async function storedQueueIds(bus: Bus): Promise<string[]> {
  const consumer = await bus.js.consumers.get(bus.ns.streamName(Streams.inbound));
  const ids: string[] = [];
  const { state } = await bus.jsm.streams.info(bus.ns.streamName(Streams.inbound));
  if (state.messages === 0) return ids;
  const batch = await consumer.fetch({ max_messages: state.messages, expires: 2_000 });
  for await (const msg of batch) ids.push(msg.json<{ queueId: string }>().queueId);
  return ids;
}

describe('PublishPipeline on the shared NATS server', () => {
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let bus: Bus;

  beforeAll(async () => {
    namespace = await createTestNamespace('pipeline');
    bus = await Bus.connect({ url: testNatsUrl, name: 'pipeline-test', namespace: namespace.namespace, log: silent });
  });
  afterAll(async () => {
    await bus?.close();
    await namespace?.cleanup();
  });

  it('gives each of many publishes from separate callbacks its own ack, a repeated id its first one', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `PIPE${String(i).padStart(8, '0')}`);
    // Each publish from a timer callback of its own, as sessions finish their messages
    const acks = await Promise.all(ids.map((id, i) => new Promise((resolve) => setTimeout(resolve, i % 30)).then(() => bus.publish(Events.mailReceived, received(id), id))));
    expect(new Set(acks.map((ack) => ack.seq)).size).toBe(ids.length);
    expect(acks.every((ack) => !ack.duplicate)).toBe(true);
    const again = await bus.publish(Events.mailReceived, received(ids[7] ?? ''), ids[7] ?? '');
    expect(again).toMatchObject({ duplicate: true, seq: acks[7]?.seq });
    expect((await storedQueueIds(bus)).sort()).toEqual(ids);
  });

  it('fails the one publish the server refuses, and only it', async () => {
    const pipeline = new PublishPipeline(bus.nc);
    const subject = bus.ns.eventSubject(Events.mailReceived);
    const data = new TextEncoder().encode(JSON.stringify(received('REFUSED00001')));
    const good = pipeline.publish({ subject, data, msgId: 'GOOD00000001', stream: bus.ns.streamName(Streams.inbound) }, 5_000);
    const refused = pipeline.publish({ subject, data, msgId: 'REFUSED00001', stream: 'NO_SUCH_STREAM' }, 5_000);
    await expect(refused).rejects.toMatchObject({ name: 'PublishFailedError', uncertain: false });
    await expect(good).resolves.toMatchObject({ duplicate: false });
    pipeline.close();
  });
});

describe('PublishPipeline across a NATS restart', () => {
  let nats: PrivateNats;
  let bus: Bus;

  beforeAll(async () => {
    nats = await startPrivateNats();
    bus = await Bus.connect({ url: nats.url, name: 'pipeline-restart-test', namespace: 'restart', log: silent });
  });
  afterAll(async () => {
    await bus?.close();
    await nats?.close();
  });

  it('acknowledges or refuses each publish in flight at a SIGKILL, and stores each acknowledged one once and no refused one', async () => {
    const outcomes = new Map<string, 'ok' | 'refused'>();
    let next = 0;
    let stop = false;
    // 20 publishers back to back, as sessions finishing their messages
    const publishers = Array.from({ length: 20 }, async () => {
      while (!stop) {
        const id = `CRASH${String(next++).padStart(7, '0')}`;
        outcomes.set(
          id,
          await bus.publish(Events.mailReceived, received(id), id).then(
            () => 'ok' as const,
            (error: unknown) => {
              if (!(error instanceof PublishFailedError)) throw error;
              return 'refused' as const;
            },
          ),
        );
      }
    });
    await waitFor(() => outcomes.size >= 300, { description: '300 publishes settled' });
    await nats.stop('SIGKILL');
    const settledAtKill = outcomes.size;
    await nats.start();
    await waitFor(() => outcomes.size >= settledAtKill + 300, { timeoutMs: 30_000, description: '300 more publishes after the restart' });
    stop = true;
    await Promise.all(publishers);
    const stored = await storedQueueIds(bus);
    const acknowledged = [...outcomes].filter(([, outcome]) => outcome === 'ok').map(([id]) => id);
    const refused = [...outcomes].filter(([, outcome]) => outcome === 'refused').map(([id]) => id);
    expect(stored.length).toBe(new Set(stored).size);
    expect(new Set(stored)).toEqual(new Set(acknowledged));
    expect(refused.filter((id) => stored.includes(id))).toEqual([]);
  });
});
