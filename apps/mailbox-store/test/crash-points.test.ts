/**
 * Integration: exactly-once storage when mailbox-store is killed (SIGKILL) at
 * each step of a delivery — body written, entries written (both inside the
 * transaction), committed but no events yet, events published but not acked.
 * A multi-piece message to two users is delivered under each crash; after a
 * clean restart every message is stored once, byte for byte, with exactly
 * one `stored` event per recipient.
 */
import { createHash } from 'node:crypto';
import { Streams } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverySteps } from '../src/delivery/crash-points';
import { classifiedMail, expectedStoredBytes, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

/** Kills the process at MAILBOX_STORE_CRASH_AT; production builds never read that variable. */
const crashPointsPreload = new URL('./crash-points.preload.mjs', import.meta.url).href;

describe('exactly-once storage with a crash at each delivery step', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_crashpoints');
  });
  afterAll(() => system?.cleanup());

  it('stores each message once after a crash at every step', { timeout: 180_000 }, async () => {
    const setup = await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    for (const user of ['bob', 'carol']) await system.admin({ version: 1, op: 'user.add', address: `${user}@example.test`, password: 'pw' });
    await setup.stop('SIGTERM');

    const expected = new Map<string, Buffer>();
    for (const [i, step] of deliverySteps.entries()) {
      const queueId = `CRASHPOINT0${i}`;
      // Over STORE_WRITE_CHUNK (4 MiB): the body is written in several statements.
      const body = sampleMessage(`Crash at ${step}`, 5 * 1024 * 1024);
      const event = await classifiedMail(system.bus, { queueId, body, localRecipients: ['bob@example.test', 'carol@example.test'] });
      expected.set(queueId, expectedStoredBytes(event, body));
      const doomed = await system.start({ env: { MAILBOX_STORE_CRASH_AT: step }, preload: [crashPointsPreload] });
      await publishClassified(system.bus, event);
      expect(await doomed.exited, `killed at ${step}`).toBe('SIGKILL');
    }

    // A clean process: the unacked deliveries come back after ack_wait and finish.
    await system.start();
    const stream = system.bus.ns.streamName(Streams.inbound);
    await waitFor(
      async () => {
        const info = await system.bus.jsm.consumers.info(stream, 'mailbox-store');
        const entries = await system.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mailbox_entries');
        return info.num_pending === 0 && info.num_ack_pending === 0 && entries.rows[0]?.n === 2 * deliverySteps.length;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'every crashed delivery redelivered and acked' },
    );
    const { rows } = await system.db.query<{ id: string; size: number; sha256: string; entries: number }>(
      `SELECT m.id, m.size, m.sha256, (SELECT count(*)::int FROM mailbox_entries e WHERE e.message_id = m.id) AS entries FROM messages m ORDER BY m.id`,
    );
    expect(rows).toEqual([...expected].map(([id, bytes]) => ({ id, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), entries: 2 })));
    for (const queueId of expected.keys()) {
      const events = await system.deliveryEvents(queueId, 2);
      expect(events.map((e) => `${e.recipient} ${e.outcome}`).sort(), queueId).toEqual(['bob@example.test stored', 'carol@example.test stored']);
    }
  });
});
