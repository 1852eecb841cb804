/**
 * The relay's queue in batches (OUTBOUND_BATCH_SIZE): messages that arrive
 * together for one destination go back to back over one connection, and
 * each message of a batch still ends by its own outcome — one domain
 * deferring while another takes its mail, a message whose body cannot be
 * read among readable ones, and Redis going away in the middle of a batch
 * (the relay on a private redis-server killed with SIGKILL) or before one.
 * A long OUTBOUND_BATCH_WAIT gathers what a test queues at once into one batch.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Consumers, Events, type OutboundQueued } from '@mail/contracts';
import { privateRedis, waitFor, type PrivateRedis } from '@mail/testing';
import { startRelayHarness, type RelayHarness } from './relay-harness';

const sinks = { together: '127.0.0.2', ok: '127.0.0.3', later: '127.0.0.4', poison: '127.0.0.5' } as const;

/** How many copies of each recipient the sink took. */
function copiesAt(h: RelayHarness, address: string): Record<string, number> {
  const copies: Record<string, number> = {};
  for (const t of h.sink(address).delivered()) for (const r of t.rcptTo) copies[r] = (copies[r] ?? 0) + 1;
  return copies;
}

function addMx(h: RelayHarness, domain: string, address: string): void {
  h.dns.add(domain, { type: 'MX', preference: 10, exchange: `mx.${domain}` });
  h.dns.add(`mx.${domain}`, { type: 'A', address });
}

describe('outbound-relay in batches', () => {
  let h: RelayHarness;

  beforeAll(async () => {
    // Lanes of 8 (the default is 2): each test's messages for a destination fit one connection
    h = await startRelayHarness(Object.values(sinks), { OUTBOUND_BATCH_WAIT: '1s', OUTBOUND_CONNECTION_IDLE: '30s', OUTBOUND_MESSAGES_PER_CONNECTION: '8' });
    for (const [name, address] of Object.entries(sinks)) addMx(h, `${name}.test`, address);
    // A second domain served by the same host: its messages join the same connection
    h.dns.add('together-too.test', { type: 'MX', preference: 10, exchange: 'mx.together.test' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('sends the messages of a batch for one destination back to back over one connection, without RSET between them', async () => {
    const recipients = ['a@together.test', 'b@together-too.test', 'c@together.test', 'd@together-too.test', 'e@together.test', 'f@together.test'];
    const ids = await Promise.all(recipients.map((r) => h.queue([r])));
    for (const id of ids) await h.waitForEvents(id, 1, 'delivered');
    const sink = h.sink(sinks.together);
    expect(sink.connectionCount).toBe(1);
    expect(
      sink
        .delivered()
        .flatMap((t) => t.rcptTo)
        .sort(),
    ).toEqual([...recipients].sort());
    const verbs = sink.commands.map((c) => c.line.split(':')[0]?.split(' ')[0]);
    expect(verbs.filter((v) => v === 'MAIL')).toHaveLength(6);
    expect(verbs).not.toContain('RSET');
  });

  it('defers one domain of a batch while the other domain takes its mail; each message settles on its own', async () => {
    h.sink(sinks.later).setBehaviour({ rcpt: { 'x@later.test': [{ code: 451, enhanced: '4.7.1', text: 'Greylisted' }], 'y@later.test': [{ code: 451, enhanced: '4.7.1', text: 'Greylisted' }] } });
    const [okOne, laterOne, okTwo, laterTwo] = await Promise.all([h.queue(['x@ok.test']), h.queue(['x@later.test']), h.queue(['y@ok.test']), h.queue(['y@later.test'])]);
    for (const id of [laterOne, laterTwo] as string[]) {
      await h.waitForEvents(id, 1, 'deferred');
      await h.waitForEvents(id, 1, 'delivered');
    }
    for (const id of [okOne, okTwo] as string[]) await h.waitForEvents(id, 1, 'delivered');
    expect(h.events.filter((e) => [okOne, okTwo].includes(e.queueId)).map((e) => e.outcome)).toEqual(['delivered', 'delivered']);
    expect(h.events.find((e) => e.queueId === laterOne && e.outcome === 'deferred')?.detail).toContain('451 4.7.1 Greylisted');
    expect(copiesAt(h, sinks.ok)).toEqual({ 'x@ok.test': 1, 'y@ok.test': 1 });
    expect(copiesAt(h, sinks.later)).toEqual({ 'x@later.test': 1, 'y@later.test': 1 });
  });

  it('defers a message whose body cannot be read and delivers the rest of its batch', async () => {
    const good = ['one@poison.test', 'two@poison.test', 'three@poison.test'];
    const stored = await h.bus.bodies.put('poison-reference', [Buffer.from('Subject: x\r\n\r\nx\r\n')]);
    const poison: OutboundQueued = {
      version: 1,
      queueId: 'qpoison0000000001',
      queuedAt: new Date().toISOString(),
      envelope: { mailFrom: 'sender@origin.test', recipients: [{ address: 'bad@poison.test', route: 'remote' }], smtputf8: false, bodyType: '7BIT' },
      // A body the object store never had (deleted, expired): reading it fails at the DATA stage
      body: { ...stored, key: 'never-stored', sha256: '0'.repeat(64) },
      traceHeaders: [],
      localRecipients: 0,
    };
    const [first, second] = await Promise.all([h.queue([good[0] as string]), h.queue([good[1] as string])]);
    await h.bus.publish(Events.outboundQueued, poison, `${poison.queueId}:outbound`);
    const third = await h.queue([good[2] as string]);
    for (const id of [first, second, third] as string[]) await h.waitForEvents(id, 1, 'delivered');
    await h.waitForEvents(poison.queueId, 1, 'deferred');
    expect(copiesAt(h, sinks.poison)).toEqual({ 'one@poison.test': 1, 'two@poison.test': 1, 'three@poison.test': 1 });
    expect(h.events.find((e) => e.queueId === poison.queueId && e.outcome === 'deferred')?.detail).toContain('reading the message failed');
    expect(h.events.filter((e) => e.queueId === poison.queueId && e.outcome !== 'deferred')).toEqual([]);
  });
});

describe('outbound-relay in batches when Redis goes away', () => {
  let h: RelayHarness;
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
    // The default schedule's five minutes: a failure on the relay's side is tried again after OUTBOUND_FAILURE_RETRY, doubling
    // Lanes of 8 (the default is 2): the batch's four messages go over one connection, one held transaction at a time
    h = await startRelayHarness(['127.0.0.2'], {
      REDIS_URL: redis.url,
      OUTBOUND_BATCH_WAIT: '1s',
      OUTBOUND_RETRY_SCHEDULE: '5m',
      OUTBOUND_FAILURE_RETRY: '500ms',
      OUTBOUND_MESSAGES_PER_CONNECTION: '8',
    });
    addMx(h, 'outage.test', '127.0.0.2');
  });
  /** Redis is killed by a test; brought back after it even when it failed (start() while running would start a second server). */
  let down = false;
  const kill = async () => {
    down = true;
    await redis.kill();
  };
  const restart = async () => {
    await redis.start();
    down = false;
  };
  afterEach(async () => {
    if (down) await restart();
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.kill();
  });

  it('records what the server took when Redis dies mid-batch and comes back: every recipient once', { timeout: 120_000 }, async () => {
    const sink = h.sink('127.0.0.2');
    const before = sink.delivered().length;
    sink.setBehaviour({ holdData: true });
    const recipients = ['m1@outage.test', 'm2@outage.test', 'm3@outage.test', 'm4@outage.test'];
    const ids = await Promise.all(recipients.map((r) => h.queue([r])));
    await waitFor(() => sink.heldCount === 1, { timeoutMs: 30_000, description: 'the batch in the middle of its first transaction' });
    // The batch has its leases and records; Redis goes while the remote server takes the first message (the lane then waits for its record)
    await kill();
    sink.setBehaviour({ holdData: false });
    sink.releaseHeld();
    await waitFor(() => sink.delivered().length === before + 1, { timeoutMs: 30_000, description: 'the first message taken by the server' });
    // The lane waits for that message's record (retried through the outage) before its connection carries the next one
    await restart();
    for (const id of ids) await h.waitForEvents(id, 1, 'delivered');
    expect(copiesAt(h, '127.0.0.2')).toEqual(Object.fromEntries(recipients.map((r) => [r, 1])));
    expect(h.events.filter((e) => ids.includes(e.queueId) && e.outcome !== 'delivered')).toEqual([]);
  });

  it('retries every message of a batch that finds Redis gone, and delivers each once it is back', { timeout: 120_000 }, async () => {
    const before = h.sink('127.0.0.2').delivered().length;
    await kill();
    const recipients = ['n1@outage.test', 'n2@outage.test', 'n3@outage.test'];
    const ids = await Promise.all(recipients.map((r) => h.queue([r])));
    // Tried (and naked) without Redis: nothing may go out while the records cannot be read
    const stream = h.bus.ns.streamName(Consumers.outboundRelay.event.stream);
    const redelivered = async () => (await h.bus.jsm.consumers.info(stream, Consumers.outboundRelay.durable)).num_redelivered;
    const redeliveredBefore = await redelivered();
    await waitFor(async () => (await redelivered()) >= redeliveredBefore + recipients.length, { timeoutMs: 30_000, description: 'each message of the batch tried again' }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n--- relay output ---\n${h.output().slice(-3000)}`, { cause: error });
    });
    expect(h.sink('127.0.0.2').delivered().length).toBe(before);
    await restart();
    for (const id of ids) await h.waitForEvents(id, 1, 'delivered');
    const copies = copiesAt(h, '127.0.0.2');
    expect(recipients.map((r) => copies[r])).toEqual([1, 1, 1]);
  });
});
