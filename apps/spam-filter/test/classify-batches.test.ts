/**
 * spam-filter consuming in batches, as a real process on real NATS, Redis
 * and a dns2 server. The same messages (batch-fixtures.ts) are classified
 * twice, each run in a world of its own with the classifier trained alike:
 * one at a time (SPAM_FILTER_BATCH_SIZE=1), and in a batch (all published
 * before the service starts, so it takes them at once, a poison message
 * among them). Both give every message the same verdict and routes, each
 * once; the poison message fails alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Events, Streams, type MailClassified, type OutboundQueued } from '@mail/contracts';
import { createTestNamespace, createTestRedisPrefix, startServiceProcess, testNatsUrl, waitFor, type DnsServerFixture } from '@mail/testing';
import { batchMessages, filterEnvironment, receivedEvent, startListDns, trainClassifier, type TestMessage } from './batch-fixtures';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Run {
  /** Every classified event seen, by queue id. */
  readonly classified: Map<string, MailClassified[]>;
  readonly outbound: Map<string, OutboundQueued[]>;
  readonly metrics: string;
  readonly output: string;
  /** The last stream sequence up to which spam-filter's consumer has acked everything. */
  readonly ackFloor: number;
}

/** A metric's value (the first series whose labels include `labels`), 0 when absent. */
function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return Number(line?.split(' ').at(-1) ?? 0);
}

const append = <T>(map: Map<string, T[]>, key: string, value: T): void => void map.set(key, [...(map.get(key) ?? []), value]);

/**
 * Publishes `messages` into a fresh world, then starts spam-filter with
 * `env`, waits until every message but the poison is classified (and
 * queued outbound when it has a remote recipient) and `settled` holds.
 */
async function classifyRun(dns: DnsServerFixture, messages: readonly TestMessage[], env: Record<string, string>, settled?: (metrics: string) => boolean): Promise<Run> {
  const namespace = await createTestNamespace('sfbatch');
  const redis = await createTestRedisPrefix('sfbatch');
  const bus = await Bus.connect({ url: testNatsUrl, name: 'classify-batches-test', namespace: namespace.namespace, log: silent });
  try {
    await trainClassifier(redis);
    const run: Run = { classified: new Map(), outbound: new Map(), metrics: '', output: '', ackFloor: 0 };
    const classified = bus.nc.subscribe(bus.ns.eventSubject(Events.mailClassified));
    const outbound = bus.nc.subscribe(bus.ns.eventSubject(Events.outboundQueued));
    void (async () => {
      for await (const msg of classified) append(run.classified, msg.json<MailClassified>().queueId, msg.json<MailClassified>());
    })();
    void (async () => {
      for await (const msg of outbound) append(run.outbound, msg.json<OutboundQueued>().queueId, msg.json<OutboundQueued>());
    })();
    for (const message of messages) {
      const event = await receivedEvent(bus, message);
      await bus.publish(Events.mailReceived, event, event.queueId);
    }
    const filter = await startServiceProcess('spam-filter', { ...filterEnvironment(dns, namespace.namespace, redis), ...env });
    try {
      const expected = messages.filter((m) => m.body !== 'corrupt');
      const metrics = async () => (await fetch(`http://127.0.0.1:${filter.opsPort}/metrics`)).text();
      await waitFor(async () => expected.every((m) => run.classified.has(m.queueId) && (!m.remote || run.outbound.has(m.queueId))) && (settled?.(await metrics()) ?? true), {
        timeoutMs: 30_000,
        description: 'every message classified',
      });
      const consumer = await bus.jsm.consumers.info(bus.ns.streamName(Streams.inbound), 'spam-filter');
      return { ...run, metrics: await metrics(), output: filter.output(), ackFloor: consumer.ack_floor.stream_seq };
    } finally {
      await filter.stop();
      classified.unsubscribe();
      outbound.unsubscribe();
    }
  } finally {
    await bus.close();
    await namespace.cleanup();
    await redis.cleanup();
  }
}

/** A verdict without the moment it was reached. */
const verdictOf = (mail: MailClassified | undefined) => (mail ? { ...mail.verdict, checkedAt: undefined } : undefined);

describe('spam-filter in batches', () => {
  let dns: DnsServerFixture;
  const plain = batchMessages();
  const withPoison = batchMessages({ poison: true });
  const poison = withPoison.find((m) => m.body === 'corrupt') as TestMessage;
  let oneAtATime: Run;
  let batched: Run;

  beforeAll(async () => {
    dns = await startListDns();
    oneAtATime = await classifyRun(dns, plain, { SPAM_FILTER_BATCH_SIZE: '1', SPAM_FILTER_CONCURRENCY: '1' });
    // Wait for the poison's retry: its nak's backoff is 1 s.
    batched = await classifyRun(dns, withPoison, {}, (metrics) => metric(metrics, 'mail_bus_redeliveries_total', 'consumer="spam-filter"') >= 1);
  }, 120_000);
  afterAll(async () => {
    await dns?.close();
  });

  it('classifies a batch of messages each once, with the verdicts and routes of one at a time', () => {
    // One batch for all of them (scored in one Redis round trip but for the large one), not one per message.
    expect(metric(batched.metrics, 'mail_bus_consume_batch_size_count', 'consumer="spam-filter"')).toBeLessThan(plain.length / 4);
    expect(metric(oneAtATime.metrics, 'mail_bus_consume_batch_size_count', 'consumer="spam-filter"')).toBe(plain.length);
    for (const message of plain) {
      expect(batched.classified.get(message.queueId), message.queueId).toHaveLength(1);
      expect(oneAtATime.classified.get(message.queueId), message.queueId).toHaveLength(1);
      expect(verdictOf(batched.classified.get(message.queueId)?.[0]), message.queueId).toEqual(verdictOf(oneAtATime.classified.get(message.queueId)?.[0]));
      expect(batched.outbound.get(message.queueId)?.length ?? 0, message.queueId).toBe(message.remote ? 1 : 0);
      expect(batched.outbound.get(message.queueId)?.[0]?.envelope, message.queueId).toEqual(oneAtATime.outbound.get(message.queueId)?.[0]?.envelope);
    }
    // The comparison means something only if the messages took the scorer's paths.
    const rules = new Set([...batched.classified.values()].flatMap((events) => events.flatMap((e) => e.verdict.reasons.map((r) => r.rule))));
    expect([...rules]).toEqual(expect.arrayContaining(['RCVD_IN_BL_TEST', 'SENDER_IN_DBL_TEST', 'URIBL_DBL_TEST', 'ALLOWLISTED']));
    expect([...rules].filter((rule) => rule.startsWith('BAYES_')).length).toBeGreaterThan(1);
    expect(rules.has('DNSBL_UNCHECKED')).toBe(false);
    expect(metric(batched.metrics, 'mail_spam_content_parses_total', 'place="worker"')).toBe(1);
  });

  it('lets a poison message in the batch fail alone: the others acked, the batch not split, the poison retried', () => {
    expect(batched.classified.has(poison.queueId)).toBe(false);
    expect(metric(batched.metrics, 'mail_bus_consume_batch_fallbacks_total', 'consumer="spam-filter"')).toBe(0);
    expect(metric(batched.metrics, 'mail_bus_redeliveries_total', 'consumer="spam-filter"')).toBeGreaterThanOrEqual(1);
    // The received events are the stream's first messages, the poison the last of them: all before it acked.
    expect(withPoison.at(-1)).toBe(poison);
    expect(batched.ackFloor).toBe(withPoison.length - 1);
    expect(batched.output).toMatch(/inline SHA-256 digest does not match[^\n]*handler failed; will retry/);
  });
});
