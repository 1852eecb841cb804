/**
 * Integration: Bus.consumeBatches against a real NATS server, each test in
 * its own namespace — batches under a burst, each message settled by its
 * own outcome (a poison message retried with backoff then dead-lettered
 * while the others are acked once), the one-at-a-time fallback when the
 * handler throws for a whole batch, an invalid payload dead-lettered alone,
 * a stop in the middle of a batch, and redelivery after the consuming
 * process is killed before it acked.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Events, Streams } from '@mail/contracts';
import { createTestNamespace, testNatsUrl, waitFor, workspaceRoot } from '@mail/testing';
import { jetstream } from '@nats-io/jetstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bus, done, failed, type BatchMessage, type MessageOutcome } from '../src';
import type { MailReceived } from '@mail/contracts';
import { received, silent } from './fixtures/mail-received';
import { testConsumer } from './fixtures/test-consumer';

type Seen = { queueId: string; deliveryCount: number; batchSize: number; at: number };

describe('consumeBatches against a real NATS server', () => {
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let bus: Bus;

  beforeEach(async () => {
    namespace = await createTestNamespace('batch');
    bus = await Bus.connect({ url: testNatsUrl, name: 'consume-batches-test', namespace: namespace.namespace, log: silent });
  });
  afterEach(async () => {
    await bus?.close();
    await namespace?.cleanup();
  });

  const queueIds = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
  /** One after the other, so stream order is the order given. */
  async function publish(ids: readonly string[]): Promise<void> {
    for (const id of ids) await bus.publish(Events.mailReceived, received(id), id);
  }
  const consumerInfo = (durable: string) => bus.jsm.consumers.info(bus.ns.streamName(Streams.inbound), durable);
  const settledAll = (durable: string, lastSeq: number) =>
    waitFor(
      async () => {
        const info = await consumerInfo(durable);
        return info.ack_floor.stream_seq >= lastSeq && info.num_ack_pending === 0 && info.num_pending === 0;
      },
      { description: `every message of ${durable} settled` },
    );
  async function deadLetters(): Promise<{ reason: string; data: string }[]> {
    const stream = bus.ns.deadLetterStreamName();
    const { state } = await bus.jsm.streams.info(stream);
    const letters = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const msg = await bus.jsm.streams.getMessage(stream, { seq });
      if (msg) letters.push({ reason: msg.header.get('Mail-Dead-Reason'), data: new TextDecoder().decode(msg.data) });
    }
    return letters;
  }
  /** Records every message handed over, then answers by `outcome`. */
  const recording = (seen: Seen[], outcome: (message: BatchMessage<MailReceived>) => MessageOutcome) => async (batch: readonly BatchMessage<MailReceived>[]) => {
    for (const message of batch) seen.push({ queueId: message.payload.queueId, deliveryCount: message.delivery.deliveryCount, batchSize: batch.length, at: Date.now() });
    return batch.map(outcome);
  };

  it('hands a burst of 200 messages over in batches larger than one, each message once', async () => {
    const seen: Seen[] = [];
    const sizes: number[] = [];
    const handle = await bus.consumeBatches(
      testConsumer('burst'),
      async (batch) => {
        sizes.push(batch.length);
        for (const message of batch) seen.push({ queueId: message.payload.queueId, deliveryCount: message.delivery.deliveryCount, batchSize: batch.length, at: Date.now() });
        // A batch's work takes a while (a transaction, say): the next batch gathers meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return batch.map(() => done);
      },
      { maxBatch: 50, maxWaitMs: 5 },
    );
    const ids = queueIds('BURST', 200);
    await Promise.all(ids.map((id) => bus.publish(Events.mailReceived, received(id), id)));
    await settledAll('burst', 200);
    await handle.stop();
    expect(seen.map((s) => s.queueId).sort()).toEqual(ids);
    expect(seen.every((s) => s.deliveryCount === 1)).toBe(true);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
    expect(sizes.length).toBeLessThan(200);
  });

  it('acks the rest of a batch once, retries its poison message with backoff, then dead-letters it', async () => {
    const ids = [...queueIds('GOOD', 4), 'POISON000001'];
    await publish(ids);
    const seen: Seen[] = [];
    const handle = await bus.consumeBatches(
      testConsumer('poison', { maxDeliver: 3 }),
      recording(seen, (message) => (message.payload.queueId === 'POISON000001' ? failed(new Error('cannot digest this one')) : done)),
      { maxBatch: 10, maxWaitMs: 200, backoffMs: (deliveryCount) => 300 * deliveryCount },
    );
    await settledAll('poison', ids.length);
    await handle.stop();
    expect(seen[0]?.batchSize).toBe(5);
    const good = seen.filter((s) => s.queueId !== 'POISON000001');
    expect(good.map((s) => `${s.queueId}:${s.deliveryCount}`).sort()).toEqual(queueIds('GOOD', 4).map((id) => `${id}:1`));
    const poison = seen.filter((s) => s.queueId === 'POISON000001');
    expect(poison.map((s) => s.deliveryCount)).toEqual([1, 2, 3]);
    // nak with a delay: JetStream redelivers no sooner (300 ms after the first delivery, 600 after the second)
    expect((poison[1]?.at ?? 0) - (poison[0]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    expect((poison[2]?.at ?? 0) - (poison[1]?.at ?? 0)).toBeGreaterThanOrEqual(550);
    const letters = await deadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.reason).toBe('cannot digest this one');
    expect(JSON.parse(letters[0]?.data ?? '{}')).toMatchObject({ queueId: 'POISON000001' });
  });

  it('hands the messages over one at a time when the handler throws for the whole batch', async () => {
    const ids = [...queueIds('FINE', 5), 'POISON000002'];
    await publish(ids);
    const calls: string[][] = [];
    const handle = await bus.consumeBatches(
      testConsumer('whole', { maxDeliver: 2 }),
      async (batch) => {
        const batchIds = batch.map((message) => message.payload.queueId);
        calls.push(batchIds);
        if (batchIds.includes('POISON000002')) throw new Error(batch.length > 1 ? 'the batch broke' : 'poison alone');
        return batch.map(() => done);
      },
      { maxBatch: 10, maxWaitMs: 200, backoffMs: () => 100 },
    );
    await settledAll('whole', ids.length);
    await handle.stop();
    expect(calls[0]?.slice().sort()).toEqual(ids.slice().sort());
    // then each alone, in stream order: the five acked, the poison one retried once more alone, then dead-lettered
    expect(calls.slice(1)).toEqual([...ids.map((id) => [id]), ['POISON000002']]);
    const letters = await deadLetters();
    expect(letters.map((letter) => letter.reason)).toEqual(['poison alone']);
  });

  it('dead-letters an invalid payload alone and hands the valid ones over', async () => {
    const js = jetstream(bus.nc);
    await js.publish(bus.ns.eventSubject(Events.mailReceived), new TextEncoder().encode('{"version":1,"queueId":"NOTVALID0001"}'), { msgID: 'invalid-1' });
    const ids = queueIds('VALID', 3);
    await publish(ids);
    const seen: Seen[] = [];
    const handle = await bus.consumeBatches(
      testConsumer('invalid'),
      recording(seen, () => done),
      { maxBatch: 10, maxWaitMs: 200 },
    );
    await settledAll('invalid', 4);
    await handle.stop();
    expect(seen.map((s) => s.queueId).sort()).toEqual(ids);
    const letters = await deadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.reason).toMatch(/failed validation/);
    expect(letters[0]?.data).toContain('NOTVALID0001');
  });

  it('stops mid-batch: the batch in flight finishes and is acked, nothing more is taken, the rest goes to the next consumer (a repeat only as a redelivery)', async () => {
    const ids = queueIds('DRAIN', 12);
    await publish(ids);
    const definition = testConsumer('drain');
    const calls: string[][] = [];
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = await bus.consumeBatches(
      definition,
      async (batch) => {
        calls.push(batch.map((message) => message.payload.queueId));
        entered();
        await gate;
        return batch.map(() => done);
      },
      { maxBatch: 4, maxWaitMs: 50 },
    );
    await inHandler;
    const stopping = first.stop();
    release();
    await stopping;
    expect(calls).toEqual([ids.slice(0, 4)]);
    await waitFor(async () => (await consumerInfo('drain')).ack_floor.stream_seq >= 4, { description: 'the batch in flight acked' });

    const rest: Seen[] = [];
    const second = await bus.consumeBatches(
      definition,
      recording(rest, () => done),
      { maxBatch: 4, maxWaitMs: 50 },
    );
    // released, or (what was on its way to the stopped consumer) back after ack_wait
    await waitFor(() => rest.length >= 8, { timeoutMs: 20_000, description: 'the other messages handed to the next consumer' });
    await settledAll('drain', 12);
    await second.stop();
    expect([...new Set(rest.map((s) => s.queueId))].sort()).toEqual(ids.slice(4));
    // JetStream delivers at least once: a message released while the stopped consumer's pull request was still
    // counted as waiting can come back after ack_wait as well; a second copy is only ever a redelivery
    for (const id of ids.slice(4)) {
      const copies = rest.filter((s) => s.queueId === id);
      if (copies.length > 1) expect(Math.max(...copies.map((s) => s.deliveryCount)), id).toBeGreaterThan(1);
    }
    expect(calls).toHaveLength(1);
  });

  it('redelivers a batch whose process died before acking it', async () => {
    const ids = queueIds('VICTIM', 5);
    await publish(ids);
    // node itself with tsx as a loader (the tsx command would run node as its child, which a SIGKILL of tsx leaves running)
    const victim = spawn(process.execPath, ['--import', 'tsx', join(workspaceRoot, 'libs/bus/test/fixtures/batch-victim.ts')], {
      cwd: workspaceRoot,
      env: { ...process.env, NATS_URL: testNatsUrl, NATS_NAMESPACE: namespace.namespace, DURABLE: 'victim' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    victim.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    victim.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(victim, 'exit');
    try {
      await waitFor(() => /^batch (.*)$/m.exec(output)?.[1], { timeoutMs: 30_000, description: 'the victim holding a batch' });
    } finally {
      victim.kill('SIGKILL');
    }
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    expect(/^batch (.*)$/m.exec(output)?.[1]?.split(',').sort()).toEqual(ids);

    const seen: Seen[] = [];
    const handle = await bus.consumeBatches(
      testConsumer('victim'),
      recording(seen, () => done),
      { maxBatch: 10, maxWaitMs: 50 },
    );
    await settledAll('victim', ids.length);
    await handle.stop();
    expect(seen.map((s) => s.queueId).sort()).toEqual(ids);
    expect(seen.every((s) => s.deliveryCount === 2)).toBe(true);
  });
});
