import { describe, expect, it } from 'vitest';
import type { DeliveryEvent, OutboundQueued } from '@mail/contracts';
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import type { RelayMetrics } from '../metrics';
import type { BounceNotifier } from './bounce-notifier';
import type { DoneStore, SettledRecipient } from './done-store';
import { OutcomeRecorder } from './outcome-recorder';
import { createRelayHandler, DeliveryDeferredError } from './relay-handler';

class MemoryDoneStore implements DoneStore {
  readonly records = new Map<string, Map<string, SettledRecipient>>();
  async load(queueId: string) {
    return new Map(this.records.get(queueId) ?? []);
  }
  async save(queueId: string, settled: readonly SettledRecipient[]) {
    const map = this.records.get(queueId) ?? new Map<string, SettledRecipient>();
    for (const s of settled) map.set(s.recipient, s);
    this.records.set(queueId, map);
  }
}

const message: OutboundQueued = {
  version: 1,
  queueId: 'queue-0001',
  queuedAt: '2025-01-01T00:00:00.000Z',
  envelope: {
    mailFrom: 'sender@local.test',
    recipients: ['a@x.test', 'b@x.test', 'c@y.test'].map((address) => ({ address, route: 'remote' as const })),
    smtputf8: false,
    bodyType: '7BIT',
  },
  body: { bucket: 'b', key: 'k', size: 10, sha256: '0'.repeat(64) },
  traceHeaders: [],
};

function setup(outcomes: (recipients: readonly string[]) => RecipientOutcome[], now = '2025-01-01T00:10:00Z') {
  const done = new MemoryDoneStore();
  const events: { payload: DeliveryEvent; msgId: string }[] = [];
  const bounced: string[] = [];
  const asked: (readonly string[])[] = [];
  const bounces: BounceNotifier = { notify: async (_m, list) => void bounced.push(...list.map((b) => b.recipient)) };
  const metrics: RelayMetrics = { attempt: () => undefined, delivery: () => undefined };
  const bus = { publish: async (_e: unknown, payload: unknown, msgId: string) => void events.push({ payload: payload as DeliveryEvent, msgId }) };
  const handler = createRelayHandler({
    done,
    policy: { scheduleMs: [1000, 2000], maxAgeMs: 86_400_000, maxDeliver: 50 },
    log: { info: () => undefined },
    recorder: new OutcomeRecorder({ bus: bus as never, done, bounces, metrics }),
    deliver: async (_m, recipients) => {
      asked.push(recipients);
      return outcomes(recipients);
    },
    now: () => new Date(now),
  });
  return { handler, done, events, bounced, asked };
}

const outcome = (recipient: string, status: RecipientOutcome['status']): RecipientOutcome => ({ recipient, status, detail: `${recipient} ${status}` });

describe('relay handler', () => {
  it('acks when every recipient is delivered, with one event each', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'delivered')));
    await t.handler(message, { deliveryCount: 1 });
    expect(t.events.map((e) => [e.payload.recipient, e.payload.outcome])).toEqual([
      ['a@x.test', 'delivered'],
      ['b@x.test', 'delivered'],
      ['c@y.test', 'delivered'],
    ]);
    expect([...(t.done.records.get('queue-0001')?.values() ?? [])].every((s) => s.announced)).toBe(true);
  });

  it('throws to be retried on the schedule when some are deferred, and never resends settled recipients', async () => {
    let round = 0;
    const t = setup((rs) => rs.map((r) => outcome(r, round === 0 && r === 'b@x.test' ? 'temporary' : r === 'c@y.test' ? 'permanent' : 'delivered')));
    const first = t.handler(message, { deliveryCount: 1 });
    await expect(first).rejects.toBeInstanceOf(DeliveryDeferredError);
    await expect(first).rejects.toMatchObject({ deferred: 1, retryInMs: 1000 });
    expect(t.bounced).toEqual(['c@y.test']);
    round = 1;
    await t.handler(message, { deliveryCount: 2 });
    expect(t.asked).toEqual([['a@x.test', 'b@x.test', 'c@y.test'], ['b@x.test']]);
    expect(t.events.map((e) => `${e.payload.recipient} ${e.payload.outcome}`)).toEqual([
      'a@x.test delivered',
      'c@y.test bounced',
      'b@x.test deferred',
      'b@x.test delivered',
    ]);
  });

  it('bounces what is still temporary once the message is too old, and acks', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'temporary')), '2025-01-02T00:00:01Z');
    await t.handler(message, { deliveryCount: 7 });
    expect(t.events.map((e) => e.payload.outcome)).toEqual(['bounced', 'bounced', 'bounced']);
    expect(t.events[0]?.payload.detail).toMatch(/^delivery time expired \(4\.4\.7\); last attempt: a@x\.test temporary/);
    expect(t.bounced).toHaveLength(3);
  });

  it('announces settled-but-unannounced recipients left by a crash before delivering the rest', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'delivered')));
    await t.done.save('queue-0001', [{ recipient: 'a@x.test', outcome: 'delivered', detail: 'earlier', at: message.queuedAt, announced: false }]);
    await t.handler(message, { deliveryCount: 2 });
    expect(t.asked).toEqual([['b@x.test', 'c@y.test']]);
    expect(t.events[0]).toMatchObject({ msgId: 'queue-0001:relay:a@x.test:delivered', payload: { detail: 'earlier' } });
  });

  it('does nothing but ack when every recipient was settled before', async () => {
    const t = setup(() => []);
    await t.done.save(
      'queue-0001',
      ['a@x.test', 'b@x.test', 'c@y.test'].map((recipient) => ({ recipient, outcome: 'delivered' as const, detail: '', at: '', announced: true })),
    );
    await t.handler(message, { deliveryCount: 3 });
    expect(t.asked).toEqual([]);
    expect(t.events).toEqual([]);
  });
});
