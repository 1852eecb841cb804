/**
 * Integration: per-user quotas set with the real mailctl. A message that
 * would exceed a quota is not stored for that user and reported as a
 * `rejected` delivery event with 5.2.2 — never dropped silently; a full
 * mailbox shows up at RCPT time; concurrent deliveries cannot overshoot.
 */
import { Requests } from '@mail/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, expectedStoredBytes, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { mailctl } from './fixtures/mailctl';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

describe('quotas', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_quota');
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    for (const user of ['bob', 'carol', 'dave']) await system.admin({ version: 1, op: 'user.add', address: `${user}@example.test`, password: 'pw' });
  });
  afterAll(() => system?.cleanup());

  const resolve = (address: string) => system.bus.request(Requests.resolveRecipient, { version: 1, address });
  const entries = async (user: string) => (await system.bus.request(Requests.listMailbox, { version: 1, user, folders: ['INBOX', 'Junk'] })).entries;
  const used = async (user: string) => (await entries(user)).reduce((sum, entry) => sum + entry.size, 0);

  async function deliver(queueId: string, recipients: string[], size: number) {
    const event = await classifiedMail(system.bus, { queueId, body: sampleMessage(queueId, size), localRecipients: recipients });
    await publishClassified(system.bus, event);
    return { event, size: expectedStoredBytes(event, sampleMessage(queueId, size)).length };
  }

  it('sets, shows and removes a quota with mailctl', async () => {
    expect(await mailctl(['user', 'quota', 'bob@example.test', '10K'], system.env)).toMatchObject({ code: 0, stdout: 'quota of bob@example.test set to 10240 octets\n' });
    expect((await mailctl(['user', 'list'], system.env)).stdout).toMatch(/^bob@example\.test\s+0\s+0\s+10240\s/m);
    expect((await mailctl(['user', 'quota', 'nobody@example.test', '1M'], system.env)).stderr).toMatch(/\(unknown-user\)/);
  });

  it('stores what fits, and rejects with 5.2.2 what would exceed the quota, for that recipient only', async () => {
    const first = await deliver('QUOTAFIRST01', ['bob@example.test'], 6000);
    expect((await system.deliveryEvents('QUOTAFIRST01', 1)).map((e) => e.outcome)).toEqual(['stored']);
    expect(await used('bob@example.test')).toBe(first.size);
    await expect(resolve('bob@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test'] });

    await deliver('QUOTASECOND1', ['bob@example.test', 'carol@example.test'], 6000);
    const events = await system.deliveryEvents('QUOTASECOND1', 2);
    expect(events.find((e) => e.recipient === 'carol@example.test')?.outcome).toBe('stored');
    const rejected = events.find((e) => e.recipient === 'bob@example.test');
    expect(rejected).toMatchObject({ outcome: 'rejected', service: 'mailbox-store' });
    expect(rejected?.detail).toMatch(/^5\.2\.2 mailbox full: quota 10240 octets, \d+ in use$/);
    expect(await entries('bob@example.test')).toHaveLength(1);
    expect(await entries('carol@example.test')).toHaveLength(1);
  });

  it('keeps no raw bytes when every recipient is over quota', async () => {
    await mailctl(['user', 'quota', 'carol@example.test', '0'], system.env);
    await deliver('QUOTANOBODY1', ['bob@example.test', 'carol@example.test'], 6000);
    const events = await system.deliveryEvents('QUOTANOBODY1', 2);
    expect(events.map((e) => e.outcome)).toEqual(['rejected', 'rejected']);
    const { rows } = await system.db.query("SELECT count(*)::int AS n FROM messages WHERE id = 'QUOTANOBODY1'");
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('names full mailboxes at RCPT time, also behind an alias', async () => {
    await mailctl(['user', 'quota', 'bob@example.test', String(await used('bob@example.test'))], system.env);
    await expect(resolve('bob@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test'], overQuota: ['bob@example.test'] });
    await mailctl(['alias', 'add', 'team@example.test', 'bob@example.test,dave@example.test'], system.env);
    await expect(resolve('team@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test', 'dave@example.test'], overQuota: ['bob@example.test'] });
    await mailctl(['user', 'quota', 'bob@example.test', 'none'], system.env);
    await expect(resolve('bob@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
  });

  it('lets concurrent deliveries fill a quota exactly, never past it', async () => {
    const size = (await deliver('QUOTAPROBE01', ['dave@example.test'], 4000)).size;
    await mailctl(['user', 'quota', 'dave@example.test', String(size * 3)], system.env);
    const ids = Array.from({ length: 6 }, (_, i) => `QUOTARACEX0${i}`);
    await Promise.all(ids.map((id) => deliver(id, ['dave@example.test'], 4000)));
    const outcomes = await Promise.all(ids.map(async (id) => (await system.deliveryEvents(id, 1))[0]?.outcome));
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(4);
    expect(await used('dave@example.test')).toBe(size * 3);
  });
});
