import { describe, expect, it } from 'vitest';
import type { DeliveryEvent, OutboundQueued } from '@mail/contracts';
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import type { RelayMetrics } from '../metrics';
import type { NoticeAction } from './delivery-notifier';
import type { DoneStore, OnceNotice, SettledRecipient } from './done-store';
import type { MessageLocks } from './message-lock';
import { OutcomeRecorder } from './outcome-recorder';
import type { QueueRecord, QueueStore } from './queue-store';
import { createRelayHandler, DeliveryDeferredError } from './relay-handler';

class MemoryDoneStore implements DoneStore {
  readonly records = new Map<string, Map<string, SettledRecipient>>();
  readonly notices = new Map<string, string>();
  async load(queueId: string) {
    return new Map(this.records.get(queueId) ?? []);
  }
  async save(queueId: string, settled: readonly SettledRecipient[]) {
    const map = this.records.get(queueId) ?? new Map<string, SettledRecipient>();
    for (const s of settled) map.set(s.recipient, s);
    this.records.set(queueId, map);
  }
  async noticeSent(queueId: string, notice: OnceNotice) {
    return this.notices.get(`${queueId} ${notice}`);
  }
  async markNoticeSent(queueId: string, notice: OnceNotice, at: Date) {
    this.notices.set(`${queueId} ${notice}`, at.toISOString());
  }
}

class MemoryQueueStore implements QueueStore {
  readonly records = new Map<string, QueueRecord>();
  async load(queueId: string) {
    return this.records.get(queueId);
  }
  async save(record: QueueRecord) {
    this.records.set(record.message.queueId, record);
  }
  async remove(queueId: string) {
    this.records.delete(queueId);
  }
  async list() {
    return [...this.records.values()];
  }
}

const freeLocks: MessageLocks = { acquire: async () => ({ release: async () => undefined }), remainingMs: async () => 0 };

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
  localRecipients: 0,
};

interface SetupOptions {
  now?: string;
  locks?: MessageLocks;
  delayNoticeAfterMs?: number;
  /** Instead of answering every recipient at once: what the delivery does with its per-destination hook. */
  deliver?: (recipients: readonly string[], onDestination: (outcomes: readonly RecipientOutcome[]) => Promise<void>) => Promise<RecipientOutcome[]>;
}

function setup(outcomes: (recipients: readonly string[]) => RecipientOutcome[], options: SetupOptions = {}) {
  const done = new MemoryDoneStore();
  const queue = new MemoryQueueStore();
  const events: { payload: DeliveryEvent; msgId: string }[] = [];
  const notices: { action: NoticeAction; recipients: string[] }[] = [];
  const asked: (readonly string[])[] = [];
  const requeued: string[] = [];
  const deletedBodies: string[] = [];
  const clock = { now: new Date(options.now ?? '2025-01-01T00:10:00Z') };
  const notifier = { notify: async (_m: OutboundQueued, action: NoticeAction, list: readonly { recipient: string }[]) => void notices.push({ action, recipients: list.map((r) => r.recipient) }) };
  const metrics: RelayMetrics = { attempt: () => undefined, delivery: () => undefined };
  const bus = { publish: async (_e: unknown, payload: unknown, msgId: string) => void events.push({ payload: payload as DeliveryEvent, msgId }) };
  const handler = createRelayHandler({
    done,
    queue,
    locks: options.locks ?? freeLocks,
    notifier,
    policy: { scheduleMs: [1000, 2000], maxAgeMs: 86_400_000, maxDeliver: 50, throttleDelayMs: 500, ...(options.delayNoticeAfterMs ? { delayNoticeAfterMs: options.delayNoticeAfterMs } : {}) },
    log: { info: () => undefined, warn: () => undefined },
    recorder: new OutcomeRecorder({ bus: bus as never, done, notifier, metrics, recordRetryDelaysMs: [0, 0, 0] }),
    deliver: async (_m, recipients, onDestination = async () => undefined) => {
      asked.push(recipients);
      return options.deliver ? options.deliver(recipients, onDestination) : outcomes(recipients);
    },
    requeue: async (_m, msgId) => {
      requeued.push(msgId);
      return 100 + requeued.length;
    },
    deleteBody: async (m) => void deletedBodies.push(m.body.key),
    now: () => clock.now,
  });
  const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { handler, done, queue, events, notices, asked, requeued, deletedBodies, later };
}

const outcome = (recipient: string, status: RecipientOutcome['status'], extra: Partial<RecipientOutcome> = {}): RecipientOutcome => ({
  recipient,
  status,
  detail: `${recipient} ${status}`,
  ...extra,
});
const first = { deliveryCount: 1, streamSequence: 7 };

describe('relay handler', () => {
  it('acks when every recipient is delivered, with one event each; the queue forgets it and the body goes', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'delivered', { dsnPassed: true })));
    await t.handler(message, first);
    expect(t.events.map((e) => [e.payload.recipient, e.payload.outcome])).toEqual([
      ['a@x.test', 'delivered'],
      ['b@x.test', 'delivered'],
      ['c@y.test', 'delivered'],
    ]);
    expect([...(t.done.records.get('queue-0001')?.values() ?? [])].every((s) => s.announced)).toBe(true);
    expect(t.queue.records.size).toBe(0);
    expect(t.deletedBodies).toEqual(['k']);
    expect(t.notices).toEqual([]);
  });

  it("records a destination's deliveries before the others finish: a crash then sends only the unfinished destination again", async () => {
    let crash = true;
    const t = setup(() => [], {
      deliver: async (recipients, onDestination) => {
        const atX = recipients.filter((r) => r.endsWith('@x.test')).map((r) => outcome(r, 'delivered'));
        await onDestination(atX);
        // The process dies while y.test's transaction is still under way
        if (crash) throw new Error('killed');
        return [...atX, ...recipients.filter((r) => r.endsWith('@y.test')).map((r) => outcome(r, 'delivered'))];
      },
    });
    await expect(t.handler(message, first)).rejects.toThrow('killed');
    expect([...(t.done.records.get('queue-0001')?.values() ?? [])].map((s) => [s.recipient, s.outcome, s.announced])).toEqual([
      ['a@x.test', 'delivered', false],
      ['b@x.test', 'delivered', false],
    ]);
    crash = false;
    await t.handler(message, { deliveryCount: 2, streamSequence: 7 });
    expect(t.asked).toEqual([['a@x.test', 'b@x.test', 'c@y.test'], ['c@y.test']]);
    // The leftovers of the interrupted round are announced once, by the next
    expect(t.events.map((e) => e.payload.recipient).sort()).toEqual(['a@x.test', 'b@x.test', 'c@y.test']);
  });

  it('leaves the body to its TTL when local recipients read it too, or when that is unknown', async () => {
    for (const localRecipients of [2, undefined]) {
      const t = setup((rs) => rs.map((r) => outcome(r, 'delivered')));
      const { localRecipients: _, ...rest } = message;
      await t.handler(localRecipients === undefined ? rest : { ...message, localRecipients }, first);
      expect(t.deletedBodies).toEqual([]);
    }
  });

  it('defers on the schedule, never resends settled recipients, and retries only when due', async () => {
    let round = 0;
    const t = setup((rs) => rs.map((r) => outcome(r, round === 0 && r === 'b@x.test' ? 'temporary' : r === 'c@y.test' ? 'permanent' : 'delivered')));
    const attempt = t.handler(message, first);
    await expect(attempt).rejects.toBeInstanceOf(DeliveryDeferredError);
    await expect(attempt).rejects.toMatchObject({ deferred: 1, retryInMs: 1000 });
    expect(t.notices).toEqual([
      { action: 'failed', recipients: ['c@y.test'] },
      { action: 'relayed', recipients: ['a@x.test'] },
    ]);
    expect(t.queue.records.get('queue-0001')).toMatchObject({ attempts: 1, pending: { 'b@x.test': { state: 'deferred' } } });
    round = 1;
    t.later(1000);
    await t.handler(message, { deliveryCount: 2, streamSequence: 7 });
    expect(t.asked).toEqual([['a@x.test', 'b@x.test', 'c@y.test'], ['b@x.test']]);
    expect(t.events.map((e) => `${e.payload.recipient} ${e.payload.outcome}`)).toEqual(['a@x.test delivered', 'c@y.test bounced', 'b@x.test deferred', 'b@x.test delivered']);
  });

  it('waits for a recipient that is not due without trying anyone', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'temporary')));
    await expect(t.handler(message, first)).rejects.toMatchObject({ retryInMs: 1000 });
    t.later(-5000);
    await expect(t.handler(message, { deliveryCount: 2, streamSequence: 7 })).rejects.toMatchObject({ retryInMs: 6000 });
    expect(t.asked).toHaveLength(1);
  });

  it('retries throttled recipients shortly without counting an attempt', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'temporary', { throttled: true })));
    const attempt = t.handler(message, first);
    await expect(attempt).rejects.toBeInstanceOf(DeliveryDeferredError);
    const error = (await attempt.catch((e: unknown) => e)) as DeliveryDeferredError;
    expect(error.retryInMs).toBeGreaterThanOrEqual(500);
    expect(error.retryInMs).toBeLessThanOrEqual(750);
    expect(t.queue.records.get('queue-0001')).toMatchObject({ attempts: 0, pending: { 'a@x.test': { state: 'throttled' } } });
    expect(t.events).toEqual([]);
  });

  it('bounces what is still temporary once the message is too old, and acks', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'temporary')), { now: '2025-01-02T00:00:01Z' });
    await t.handler(message, { deliveryCount: 7, streamSequence: 7 });
    expect(t.events.map((e) => e.payload.outcome)).toEqual(['bounced', 'bounced', 'bounced']);
    expect(t.events[0]?.payload.detail).toMatch(/^delivery time expired \(4\.4\.7\); last attempt: a@x\.test temporary/);
    expect(t.notices).toEqual([{ action: 'failed', recipients: ['a@x.test', 'b@x.test', 'c@y.test'] }]);
  });

  it('sends one delay notice per message once it has waited long enough', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'temporary')), { delayNoticeAfterMs: 600_000 });
    await expect(t.handler(message, first)).rejects.toBeInstanceOf(DeliveryDeferredError);
    t.later(2000);
    await expect(t.handler(message, { deliveryCount: 2, streamSequence: 7 })).rejects.toBeInstanceOf(DeliveryDeferredError);
    expect(t.notices).toEqual([{ action: 'delayed', recipients: ['a@x.test', 'b@x.test', 'c@y.test'] }]);
  });

  it('announces settled-but-unannounced recipients left by a crash before delivering the rest', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'delivered')));
    await t.done.save('queue-0001', [{ recipient: 'a@x.test', outcome: 'delivered', detail: 'earlier', at: message.queuedAt, announced: false }]);
    await t.handler(message, first);
    expect(t.asked).toEqual([['b@x.test', 'c@y.test']]);
    expect(t.events[0]).toMatchObject({ msgId: 'queue-0001:relay:a@x.test:delivered', payload: { detail: 'earlier' } });
  });

  it('does nothing but ack when every recipient was settled before', async () => {
    const t = setup(() => []);
    await t.done.save(
      'queue-0001',
      ['a@x.test', 'b@x.test', 'c@y.test'].map((recipient) => ({ recipient, outcome: 'delivered' as const, detail: '', at: '', announced: true })),
    );
    await t.handler(message, first);
    expect(t.asked).toEqual([]);
    expect(t.events).toEqual([]);
  });

  it('acks a stale copy without work once a newer copy is the live one', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'delivered')));
    await t.queue.save({ message, activeSeq: 9, attempts: 1, pending: {}, updatedAt: '' });
    await t.handler(message, first);
    expect(t.asked).toEqual([]);
  });

  it('waits for the lease when another worker holds the message', async () => {
    const held: MessageLocks = { acquire: async () => undefined, remainingMs: async () => 4200 };
    const t = setup((rs) => rs.map((r) => outcome(r, 'delivered')), { locks: held });
    await expect(t.handler(message, first)).rejects.toMatchObject({ retryInMs: 4200 });
    expect(t.asked).toEqual([]);
  });

  it('acks a finished round even when the lease cannot be released (Redis down), and keeps a deferral a deferral', async () => {
    const stuck: MessageLocks = {
      acquire: async () => ({ release: async () => Promise.reject(new Error('Connection is closed.')) }),
      remainingMs: async () => 0,
    };
    const delivered = setup((rs) => rs.map((r) => outcome(r, 'delivered')), { locks: stuck });
    await expect(delivered.handler(message, first)).resolves.toBeUndefined();
    expect(delivered.deletedBodies).toEqual(['k']);
    const deferred = setup((rs) => rs.map((r) => outcome(r, 'temporary')), { locks: stuck });
    await expect(deferred.handler(message, first)).rejects.toBeInstanceOf(DeliveryDeferredError);
  });

  it('records a delivery through a short outage of the done-store instead of redelivering (which would send it twice)', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'delivered')));
    const save = t.done.save.bind(t.done);
    let failures = 2;
    t.done.save = async (queueId, settled) => (failures-- > 0 ? Promise.reject(new Error('Connection is closed.')) : save(queueId, settled));
    await t.handler(message, first);
    expect(t.asked).toEqual([['a@x.test', 'b@x.test', 'c@y.test']]);
    expect(t.done.records.get('queue-0001')?.size).toBe(3);
    expect(t.deletedBodies).toEqual(['k']);
  });

  it('renews the message with a fresh copy instead of reaching the delivery limit', async () => {
    const t = setup((rs) => rs.map((r) => outcome(r, 'temporary')));
    await t.handler(message, { deliveryCount: 49, streamSequence: 7 });
    expect(t.requeued).toEqual(['queue-0001:renew:7']);
    expect(t.queue.records.get('queue-0001')?.activeSeq).toBe(101);
  });
});
