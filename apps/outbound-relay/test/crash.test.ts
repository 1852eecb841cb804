/**
 * A relay killed with SIGKILL mid-queue: some messages waiting for their
 * retry (partly delivered), and a batch of three on one connection whose
 * first two were delivered when the third's transaction was cut short. A
 * new relay takes over: everything is delivered, nothing twice (each
 * delivered message was recorded before its connection carried the next).
 * The batch that was in flight comes back after the consumer's ack wait
 * (120 s), so this test takes a little over two minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { startRelayHarness, type RelayHarness } from './relay-harness';

/** Consumers.outboundRelay.ackWaitMs plus room for a loaded machine. */
const RECOVERY_MS = 180_000;

describe('outbound-relay killed mid-queue', () => {
  let h: RelayHarness;

  beforeAll(async () => {
    // A long batch wait gathers what the test queues at once into one batch; lanes of 8 put it on one connection
    h = await startRelayHarness(['127.0.0.2'], { OUTBOUND_RETRY_SCHEDULE: '1s', OUTBOUND_BATCH_WAIT: '1s', OUTBOUND_MESSAGES_PER_CONNECTION: '8' });
    h.dns.add('crash.test', { type: 'MX', preference: 10, exchange: 'mx.crash.test' });
    h.dns.add('mx.crash.test', { type: 'A', address: '127.0.0.2' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('resumes after a SIGKILL without losing or duplicating a recipient', { timeout: RECOVERY_MS + 60_000 }, async () => {
    const sink = h.sink('127.0.0.2');
    const later = ['later-1@crash.test', 'later-2@crash.test', 'later-3@crash.test'];
    sink.setBehaviour({ rcpt: Object.fromEntries(later.map((r) => [r, { code: 451, enhanced: '4.2.0', text: 'Greylisted' }])) });
    // Three messages half delivered, their second recipient waiting for the retry schedule
    const waiting: string[] = [];
    for (let i = 1; i <= 3; i++) waiting.push(await h.queue([`now-${i}@crash.test`, `later-${i}@crash.test`]));
    for (const id of waiting) {
      await h.waitForEvents(id, 1, 'delivered');
      await h.waitForEvents(id, 1, 'deferred');
    }
    // One batch of three for one connection: the first two delivered, the server holding the third's DATA unanswered
    sink.setBehaviour({ holdDataFor: ['lane-3@crash.test'] });
    const lane: string[] = [];
    for (const recipient of ['lane-1@crash.test', 'lane-2@crash.test', 'lane-3@crash.test']) lane.push(await h.queue([recipient]));
    const deliveredTo = (recipient: string) => sink.delivered().filter((t) => t.reply === 250 && t.rcptTo.includes(recipient)).length;
    await waitFor(() => sink.heldCount === 1 && deliveredTo('lane-1@crash.test') === 1 && deliveredTo('lane-2@crash.test') === 1, {
      description: 'two messages of the batch delivered, the third in progress',
    });

    expect(await h.relay.stop('SIGKILL')).toBe('SIGKILL');
    sink.setBehaviour({ rcpt: {}, holdDataFor: [] });
    await h.startReplica();

    // The batch and any message in the middle of a retry at the moment of the kill come back after the ack wait
    const delivered = (id: string) => h.events.filter((e) => e.queueId === id && e.outcome === 'delivered').length;
    await waitFor(() => waiting.every((id) => delivered(id) === 2) && lane.every((id) => delivered(id) === 1), {
      timeoutMs: RECOVERY_MS,
      intervalMs: 500,
      description: 'every recipient delivered by the new relay',
    });
    const copies = new Map<string, number>();
    for (const t of sink.delivered()) for (const r of t.rcptTo) copies.set(r, (copies.get(r) ?? 0) + 1);
    expect(Object.fromEntries(copies)).toEqual({
      'now-1@crash.test': 1,
      'now-2@crash.test': 1,
      'now-3@crash.test': 1,
      'later-1@crash.test': 1,
      'later-2@crash.test': 1,
      'later-3@crash.test': 1,
      'lane-1@crash.test': 1,
      'lane-2@crash.test': 1,
      'lane-3@crash.test': 1,
    });
    expect(h.events.filter((e) => e.outcome === 'bounced')).toEqual([]);
    expect((await h.mailctl('queue', 'list')).stdout).toBe('The outbound queue is empty.\n');
  });
});
