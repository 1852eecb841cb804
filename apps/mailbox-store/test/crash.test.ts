/** Integration: exactly-once storage when mailbox-store is SIGKILLed while messages arrive. */
import { Requests, Streams } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

const total = 200;

describe('exactly-once storage across a crash', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_crash');
  });
  afterAll(() => system?.cleanup());

  const storedEntries = async () => (await system.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mailbox_entries')).rows[0]?.n ?? 0;

  it('stores every message once although mailbox-store is SIGKILLed mid-stream', { timeout: 150_000 }, async () => {
    const first = await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: 'bob@example.test', password: 'pw' });
    const events = [];
    for (let i = 0; i < total; i++) {
      const queueId = `CRASH${String(i).padStart(6, '0')}`;
      events.push(await classifiedMail(system.bus, { queueId, body: sampleMessage(`Message ${i}`, 4000), localRecipients: ['bob@example.test'] }));
    }

    const publishing = (async () => {
      for (const event of events) await publishClassified(system.bus, event);
    })();
    await waitFor(async () => (await storedEntries()) >= 30, { timeoutMs: 30_000, intervalMs: 5, description: 'the first stored messages' });
    await first.stop('SIGKILL');
    await publishing;
    const atCrash = await storedEntries();
    expect(atCrash).toBeLessThan(total);

    // Entries committed by the killed process but never acked come back after ack_wait and must be no-ops.
    await system.start();
    const stream = system.bus.ns.streamName(Streams.inbound);
    await waitFor(
      async () => {
        const info = await system.bus.jsm.consumers.info(stream, 'mailbox-store');
        return info.num_pending === 0 && info.num_ack_pending === 0 && (await storedEntries()) === total;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: `all ${total} messages stored and acked (unacked ones come back after ack_wait)` },
    );

    const { rows } = await system.db.query('SELECT count(*)::int AS entries, count(DISTINCT message_id)::int AS messages, (SELECT count(*)::int FROM messages) AS raw FROM mailbox_entries');
    expect(rows[0]).toEqual({ entries: total, messages: total, raw: total });
    const listed = await system.bus.request(Requests.listMailbox, { version: 1, user: 'bob@example.test', folders: ['INBOX'] });
    expect(new Set(listed.entries.map((entry) => entry.uid)).size).toBe(total);
  });
});
