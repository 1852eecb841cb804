/**
 * Integration: exactly-once storage when mailbox-store is killed (SIGKILL)
 * in the middle of a group commit — entries written but not committed,
 * committed but no events yet, events published but the batch not acked.
 * For each step a group of small messages to two users is published while no
 * mailbox-store runs, and a process with the crash-point preload (see
 * crash-points.test.ts) takes it as one batch and dies at that step. After
 * a clean restart the unacked batches come back after ack_wait: every
 * message is stored once, with exactly one `stored` event per recipient.
 */
import { Streams, type MailClassified } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryStep } from '../src/delivery/crash-points';
import { classifiedMail, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

/** Kills the process at MAILBOX_STORE_CRASH_AT; production builds never read that variable. */
const crashPointsPreload = new URL('./crash-points.preload.mjs', import.meta.url).href;
const perGroup = 10;
/** What a group left in the database when its process died at each step: none of it before the commit, all of it after. */
const steps: { step: DeliveryStep; entriesAtCrash: number }[] = [
  { step: 'entries-written', entriesAtCrash: 0 },
  { step: 'committed', entriesAtCrash: 2 * perGroup },
  { step: 'events-published', entriesAtCrash: 2 * perGroup },
];

describe('group commit across a crash', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_groupcrash');
  });
  afterAll(() => system?.cleanup());

  const count = async (sql: string) => (await system.db.query<{ n: number }>(sql)).rows[0]?.n;

  it('stores each message of a group once after a crash at every step', { timeout: 180_000 }, async () => {
    const setup = await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    for (const user of ['bob', 'carol']) await system.admin({ version: 1, op: 'user.add', address: `${user}@example.test`, password: 'pw' });
    await setup.stop('SIGTERM');

    for (const [g, { step, entriesAtCrash }] of steps.entries()) {
      const events: MailClassified[] = [];
      for (let i = 0; i < perGroup; i++) {
        const queueId = `CRASHGROUP${g}${String(i).padStart(3, '0')}`;
        events.push(await classifiedMail(system.bus, { queueId, body: sampleMessage(queueId, 3000), localRecipients: ['bob@example.test', 'carol@example.test'], inline: true }));
      }
      for (const event of events) await publishClassified(system.bus, event);
      // one batch (it waits a second for more), killed at `step`
      const doomed = await system.start({ env: { MAILBOX_STORE_CRASH_AT: step, STORE_BATCH_WAIT: '1s' }, preload: [crashPointsPreload] });
      expect(await doomed.exited, `killed at ${step}`).toBe('SIGKILL');
      expect(await count(`SELECT count(*)::int AS n FROM mailbox_entries WHERE message_id LIKE 'CRASHGROUP${g}%'`), `entries of the group killed at ${step}`).toBe(entriesAtCrash);
    }

    // A clean process: the unacked batches come back after ack_wait and finish.
    await system.start();
    const stream = system.bus.ns.streamName(Streams.inbound);
    const total = steps.length * perGroup;
    await waitFor(
      async () => {
        const info = await system.bus.jsm.consumers.info(stream, 'mailbox-store');
        return info.num_pending === 0 && info.num_ack_pending === 0 && (await count('SELECT count(*)::int AS n FROM mailbox_entries')) === 2 * total;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'every crashed batch redelivered and acked' },
    );
    expect(await count('SELECT count(*)::int AS n FROM messages')).toBe(total);
    expect(await count('SELECT count(DISTINCT (message_id, user_id))::int AS n FROM mailbox_entries')).toBe(2 * total);
    const events = await system.deliveryEventsByPrefix('CRASHGROUP', 2 * total);
    expect(events).toHaveLength(2 * total);
    expect(new Set(events.map((event) => `${event.queueId} ${event.recipient} ${event.outcome}`)).size).toBe(2 * total);
    expect(events.every((event) => event.outcome === 'stored')).toBe(true);
  });
});
