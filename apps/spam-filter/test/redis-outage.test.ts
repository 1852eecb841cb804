/**
 * Redis going away while spam-filter scores a batch, on a redis-server of
 * the test's own: scoring fails open, as it did one message at a time.
 * The DNS-list cache is only a cache (a read that fails is a miss, so DNS
 * is asked; a write that fails is skipped), zones stay in use, and the
 * Bayes classifier is left out while its counts cannot be read. Every
 * message is classified and acked all the same; once Redis is back, the
 * cache fills again.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Events, type MailClassified } from '@mail/contracts';
import { createTestNamespace, privateRedis, startServiceProcess, testNatsUrl, waitFor, type DnsServerFixture, type PrivateRedis, type ServiceProcess } from '@mail/testing';
import { IN_PROCESS_PARSE_MAX_OCTETS } from '../src/content/content-parser';
import { allowedClient, batchMessages, filterEnvironment, listedClients, receivedEvent, startListDns, trainClassifier, type TestMessage } from './batch-fixtures';

/** A client whose question to slow.test times out: its batch is in DNS for DNSBL_TIMEOUT after the batch's Redis round trip. */
const slowClient = '203.0.113.77';
const slowQuestion = '77.113.0.203.slow.test';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('spam-filter when Redis goes away mid-batch', () => {
  let dns: DnsServerFixture;
  let redis: PrivateRedis;
  let bus: Bus;
  let filter: ServiceProcess;
  let cleanups: (() => Promise<unknown>)[] = [];
  const classified = new Map<string, MailClassified>();
  const prefix = `sfoutage:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    dns = await startListDns();
    dns.zone('slow.test', 60);
    dns.listDnsbl('slow.test', '127.0.0.2');
    dns.fail(slowQuestion, 'timeout');
    redis = await privateRedis();
    await redis.start();
    await trainClassifier({ url: redis.url, prefix });
    const namespace = await createTestNamespace('sfoutage');
    bus = await Bus.connect({ url: testNatsUrl, name: 'redis-outage-test', namespace: namespace.namespace, log: silent });
    const subscription = bus.nc.subscribe(bus.ns.eventSubject(Events.mailClassified));
    void (async () => {
      for await (const msg of subscription) classified.set(msg.json<MailClassified>().queueId, msg.json<MailClassified>());
    })();
    filter = await startServiceProcess('spam-filter', {
      ...filterEnvironment(dns, namespace.namespace, { url: redis.url, prefix }),
      DNSBL_ZONES: 'bl.test*4,slow.test*1',
      DNSBL_TIMEOUT: '1500ms',
      SPAM_FILTER_BATCH_WAIT: '200ms',
    });
    cleanups = [() => filter.stop(), () => bus.close(), () => dns.close(), namespace.cleanup, () => redis.kill()];
  }, 60_000);
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  });

  /**
   * Publishes a batch: the small messages of the fixtures (scored in one round trip; a large one has its own) under
   * fresh queue ids, the first from the slow client, the second from a listed one.
   */
  async function publishBatch(label: string): Promise<TestMessage[]> {
    const messages = batchMessages()
      .filter((m) => m.body === undefined && !m.submission && !m.remote && m.clientIp !== allowedClient && m.raw.length <= IN_PROCESS_PARSE_MAX_OCTETS)
      .map((m, i) => ({ ...m, queueId: `${label}${String(i).padStart(6, '0')}`, clientIp: i === 0 ? slowClient : i === 1 ? (listedClients[0] as string) : m.clientIp }));
    await Promise.all(messages.map(async (m) => bus.publish(Events.mailReceived, await receivedEvent(bus, m), m.queueId)));
    return messages;
  }

  const rulesOf = (message: TestMessage): string[] => classified.get(message.queueId)?.verdict.reasons.map((r) => r.rule) ?? [];
  const allClassified = (messages: readonly TestMessage[], description: string) => waitFor(() => messages.every((m) => classified.has(m.queueId)), { timeoutMs: 30_000, description });

  it('classifies every message of the batch, fails open while Redis is down, and caches again once it is back', async () => {
    // Redis dies after the batch's round trip, while its DNS questions are out: the cache writes fail, nothing else.
    const first = await publishBatch('RDA');
    await waitFor(() => dns.queries.some((q) => q.name === slowQuestion), { timeoutMs: 20_000, description: 'the batch asking DNS' });
    await redis.kill();
    await allClassified(first, 'the batch Redis died under');
    expect(rulesOf(first[1] as TestMessage)).toContain('RCVD_IN_BL_TEST');
    expect(first.every((m) => rulesOf(m).some((rule) => rule.startsWith('BAYES_')))).toBe(true);

    // While it is down: DNS answers instead of the cache (listings still count), no Bayes.
    const second = await publishBatch('RDB');
    await allClassified(second, 'the batch while Redis is down');
    expect(rulesOf(second[1] as TestMessage)).toContain('RCVD_IN_BL_TEST');
    expect(second.some((m) => rulesOf(m).some((rule) => rule.startsWith('BAYES_')))).toBe(false);
    expect(second.some((m) => rulesOf(m).includes('DNSBL_UNCHECKED'))).toBe(false);
    expect(filter.output()).toMatch(/Bayes classifier unavailable; messages scored without it/);

    // Back (empty, as it kept nothing) and spam-filter reconnected: the next batch's answers are cached again.
    await redis.start();
    const client = new Redis(redis.url, { keyPrefix: prefix });
    try {
      await waitFor(async () => /name=spam-filter/.test(String(await client.client('LIST'))), { timeoutMs: 20_000, description: 'spam-filter connected to Redis again' });
      const third = await publishBatch('RDC');
      await allClassified(third, 'the batch after Redis came back');
      await waitFor(async () => (await client.exists('dnsxl:answer:5.113.0.203.bl.test')) === 1, { timeoutMs: 10_000, description: 'the listed client cached again' });
    } finally {
      client.disconnect();
    }
  });
});
