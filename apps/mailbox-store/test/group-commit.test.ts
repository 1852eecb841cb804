/**
 * Integration: group commit (src/delivery/group-commit.ts) in a real
 * mailbox-store process — a batch of many small messages stored in one
 * transaction, each exactly once, byte for byte, in arrival order, with its
 * delivery events and the quota counted across the group; and a
 * PostgreSQL error for one message of a batch (a trigger) rolling the group
 * back: the others stored alone, the bad one retried until it can be stored.
 * The messages are published while no mailbox-store runs, and a batch waits
 * up to a second for more (STORE_BATCH_WAIT), so they come in whole batches.
 */
import type { MailClassified } from '@mail/contracts';
import { Requests } from '@mail/contracts';
import type { ServiceProcess } from '@mail/testing';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, expectedStoredBytes, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

const size = 3000;

describe('group commit', () => {
  let system: TestSystem;
  let running: ServiceProcess;

  beforeAll(async () => {
    system = await createTestSystem('mbx_group');
    running = await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    for (const user of ['bob', 'carol', 'dave', 'erin']) await system.admin({ version: 1, op: 'user.add', address: `${user}@example.test`, password: 'pw' });
  });
  afterAll(() => system?.cleanup());

  const list = (user: string, folders: string[]) => system.bus.request(Requests.listMailbox, { version: 1, user, folders });
  const count = async (sql: string, params: unknown[] = []) => (await system.db.query<{ n: number }>(sql, params)).rows[0]?.n;
  const message = (queueId: string, localRecipients: string[], action: 'deliver' | 'junk' = 'deliver') =>
    classifiedMail(system.bus, { queueId, body: sampleMessage(queueId, size), localRecipients, inline: true, action });
  const storedBytes = (event: MailClassified) => expectedStoredBytes(event, sampleMessage(event.queueId, size));

  /** Publish while no mailbox-store runs, then start one whose batches wait a second for more: the events come in whole batches. */
  async function publishAsOneBatch(events: readonly MailClassified[], msgIds: Record<number, string> = {}): Promise<void> {
    await running.stop('SIGTERM');
    for (const [i, event] of events.entries()) await publishClassified(system.bus, event, msgIds[i]);
    running = await system.start({ env: { STORE_BATCH_WAIT: '1s' } });
  }

  it('stores a batch of small messages in one transaction, each once and byte for byte, in order, with quota counted across it', async () => {
    const total = 40;
    const events: MailClassified[] = [];
    // everyone to bob, every fourth to carol too, every tenth is junk
    for (let i = 0; i < total; i++)
      events.push(await message(`GROUP${String(i).padStart(7, '0')}`, i % 4 === 0 ? ['bob@example.test', 'carol@example.test'] : ['bob@example.test'], i % 10 === 9 ? 'junk' : 'deliver'));
    // dave can take three of the five messages sent to him
    const daveIds = ['GROUPDAVE001', 'GROUPDAVE002', 'GROUPDAVE003', 'GROUPDAVE004', 'GROUPDAVE005'];
    for (const queueId of daveIds) events.push(await message(queueId, ['dave@example.test']));
    await system.admin({ version: 1, op: 'user.quota', address: 'dave@example.test', bytes: storedBytes(events.at(-1) as MailClassified).length * 3 });
    // one of them twice (published again under another message id): stored once all the same
    await publishAsOneBatch([...events.slice(0, 20), { ...(events[3] as MailClassified) }, ...events.slice(20)], { 20: 'GROUP0000003-again' });

    const delivered = await system.deliveryEventsByPrefix('GROUP', total + total / 4 + daveIds.length);
    const entries = total + total / 4 + 3;
    await waitFor(async () => (await count("SELECT count(*)::int AS n FROM mailbox_entries WHERE message_id LIKE 'GROUP%'")) === entries, { description: `${entries} entries` });
    expect(await count("SELECT count(*)::int AS n FROM messages WHERE id LIKE 'GROUP%'")).toBe(total + 3);
    // several messages per transaction: they share its now()
    expect(await count("SELECT count(DISTINCT stored_at)::int AS n FROM messages WHERE id LIKE 'GROUP%'")).toBeLessThan(total / 2);
    // in arrival order, as one at a time would list them
    const bobs = (await list('bob@example.test', ['INBOX'])).entries;
    const byQueueId = await system.db.query<{ uid: string }>(
      "SELECT e.uid FROM mailbox_entries e JOIN users u ON u.id = e.user_id JOIN mailboxes m ON m.id = e.mailbox_id WHERE u.address = 'bob@example.test' AND m.name = 'INBOX' ORDER BY e.message_id",
    );
    expect(bobs.map((entry) => entry.uid)).toEqual(byQueueId.rows.map((row) => row.uid));
    expect(bobs).toHaveLength(total - total / 10);
    expect((await list('bob@example.test', ['Junk'])).entries).toHaveLength(total / 10);
    expect((await list('carol@example.test', ['INBOX', 'Junk'])).entries).toHaveLength(total / 4);
    const { rows } = await system.db.query<{ raw: Buffer }>("SELECT raw FROM messages WHERE id = 'GROUP0000007'");
    expect(rows[0]?.raw.equals(storedBytes(events[7] as MailClassified))).toBe(true);

    const outcomes = (queueId: string) => delivered.filter((event) => event.queueId === queueId).map((event) => `${event.recipient} ${event.outcome}`);
    expect(outcomes('GROUP0000004').sort()).toEqual(['bob@example.test stored', 'carol@example.test stored']);
    expect(daveIds.map(outcomes)).toEqual([['dave@example.test stored'], ['dave@example.test stored'], ['dave@example.test stored'], ['dave@example.test rejected'], ['dave@example.test rejected']]);
    expect(delivered.find((event) => event.queueId === 'GROUPDAVE004')?.detail).toMatch(/^5\.2\.2 mailbox full/);
    expect(delivered).toHaveLength(total + total / 4 + daveIds.length);
  });

  it('rolls back a group a PostgreSQL error breaks, stores the others alone, and retries the bad message until it can be stored', async () => {
    // A trigger refuses one message, as a constraint or a full disk might.
    await system.db.query(`
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = 'BROKEN0POISON' THEN RAISE EXCEPTION 'refusing %', NEW.id; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
    const ids = Array.from({ length: 12 }, (_, i) => (i === 5 ? 'BROKEN0POISON' : `BROKEN${String(i).padStart(7, '0')}`));
    const events: MailClassified[] = [];
    for (const queueId of ids) events.push(await message(queueId, ['erin@example.test']));
    await publishAsOneBatch(events);

    const others = ids.filter((id) => id !== 'BROKEN0POISON');
    const stored = await system.deliveryEventsByPrefix('BROKEN', others.length);
    expect(stored.map((event) => `${event.queueId} ${event.outcome}`).sort()).toEqual(others.map((id) => `${id} stored`));
    expect(running.output()).toContain('group commit failed and was rolled back');
    // alone, the poison message failed on its own and will come again
    await waitFor(() => /refusing BROKEN0POISON.*handler failed; will retry|handler failed; will retry.*refusing BROKEN0POISON/.test(running.output()), {
      description: 'the poison message failed alone',
    });
    expect(await count("SELECT count(*)::int AS n FROM messages WHERE id = 'BROKEN0POISON'")).toBe(0);

    await system.db.query('DROP TRIGGER refuse_poison ON messages');
    const all = await system.deliveryEventsByPrefix('BROKEN', ids.length);
    expect(all.map((event) => `${event.queueId} ${event.outcome}`).sort()).toEqual(ids.map((id) => `${id} stored`).sort());
    await waitFor(async () => (await count("SELECT count(*)::int AS n FROM mailbox_entries WHERE message_id LIKE 'BROKEN%'")) === ids.length, { description: 'every entry' });
    expect(await count("SELECT count(*)::int AS n FROM messages WHERE id LIKE 'BROKEN%'")).toBe(ids.length);
  });
});
