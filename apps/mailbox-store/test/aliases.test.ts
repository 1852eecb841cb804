/**
 * Integration: aliases and catch-alls through the real mailctl, resolved at
 * RCPT time (directory.resolve) and at delivery, one level deep, and a
 * message for several mailboxes stored once.
 */
import { Requests } from '@mail/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { mailctl } from './fixtures/mailctl';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

describe('aliases and catch-alls', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_alias');
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'domain.add', domain: 'other.test' });
    for (const user of ['bob@example.test', 'carol@example.test', 'dave@example.test', 'erin@other.test']) {
      await system.admin({ version: 1, op: 'user.add', address: user, password: 'pw' });
    }
  });
  afterAll(() => system?.cleanup());

  const resolve = (address: string) => system.bus.request(Requests.resolveRecipient, { version: 1, address });
  const entries = async (user: string) => (await system.bus.request(Requests.listMailbox, { version: 1, user, folders: ['INBOX'] })).entries;

  it('adds, lists and resolves an alias with several targets, across domains', async () => {
    const added = await mailctl(['alias', 'add', 'Sales@Example.test', 'bob@example.test,Carol@example.test,erin@other.test'], system.env);
    expect(added).toMatchObject({ code: 0, stdout: 'alias sales@example.test added (→ bob@example.test, carol@example.test, erin@other.test)\n' });
    const listed = await mailctl(['alias', 'list'], system.env);
    expect(listed.stdout).toMatch(/^ALIAS\s+TARGETS\s+CREATED\nsales@example\.test\s+bob@example\.test,carol@example\.test,erin@other\.test\s+\S+\n$/);
    await expect(resolve('SALES@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test', 'carol@example.test', 'erin@other.test'] });
  });

  it('uses the catch-all only for addresses that are neither users nor aliases', async () => {
    await expect(resolve('anything@example.test')).resolves.toEqual({ result: 'unknown-user' });
    expect((await mailctl(['alias', 'add', '@example.test', 'dave@example.test'], system.env)).stdout).toBe('catch-all @example.test added (→ dave@example.test)\n');
    await expect(resolve('anything@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['dave@example.test'] });
    await expect(resolve('bob@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
    await expect(resolve('sales@example.test')).resolves.toMatchObject({ mailboxes: ['bob@example.test', 'carol@example.test', 'erin@other.test'] });
    await expect(resolve('anything@other.test')).resolves.toEqual({ result: 'unknown-user' });
  });

  it('refuses aliases that could not work, and users that would hide an alias', async () => {
    const refusal = async (args: string[]) => (await mailctl(args, system.env)).stderr;
    expect(await refusal(['alias', 'add', 'bob@example.test', 'carol@example.test'])).toMatch(/is a user.*\(address-in-use\)/);
    expect(await refusal(['alias', 'add', 'team@example.test', 'sales@example.test'])).toMatch(/not a user: sales@example\.test \(unknown-target\)/);
    expect(await refusal(['alias', 'add', 'sales@example.test', 'bob@example.test'])).toMatch(/\(duplicate-alias\)/);
    expect(await refusal(['alias', 'add', 'x@nowhere.test', 'bob@example.test'])).toMatch(/\(unknown-domain\)/);
    expect(await refusal(['alias', 'remove', 'nobody@example.test'])).toMatch(/\(unknown-alias\)/);
    expect(await refusal(['user', 'add', 'sales@example.test', '--password', 'x'])).toMatch(/is an alias.*\(address-in-use\)/);
  });

  it('delivers to every mailbox of an alias once, stored once, also when ingress left the address unresolved', async () => {
    const event = await classifiedMail(system.bus, {
      queueId: 'ALIASFANOUT1',
      body: sampleMessage('To the team', 3000),
      localRecipients: ['bob@example.test'],
      recipients: [
        { address: 'sales@example.test', route: 'local', mailboxes: ['bob@example.test', 'carol@example.test', 'erin@other.test'] },
        { address: 'whoever@example.test', route: 'local' },
        { address: 'ghost@other.test', route: 'local' },
      ],
    });
    await publishClassified(system.bus, event);
    const events = await system.deliveryEvents('ALIASFANOUT1', 5);
    expect(events.map((e) => `${e.recipient} ${e.outcome}`).sort()).toEqual([
      'bob@example.test stored',
      'carol@example.test stored',
      'dave@example.test stored',
      'erin@other.test stored',
      'ghost@other.test rejected',
    ]);
    for (const user of ['bob@example.test', 'carol@example.test', 'dave@example.test', 'erin@other.test']) expect(await entries(user)).toHaveLength(1);
    const { rows } = await system.db.query("SELECT count(*)::int AS n FROM messages WHERE id = 'ALIASFANOUT1'");
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('drops a removed user from its aliases, and removes an alias left with no target', async () => {
    expect((await mailctl(['alias', 'add', 'solo@example.test', 'carol@example.test'], system.env)).code).toBe(0);
    expect((await mailctl(['user', 'remove', 'carol@example.test'], system.env)).code).toBe(0);
    await expect(resolve('sales@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test', 'erin@other.test'] });
    // solo@ is gone with its only target, so the catch-all takes the address now.
    await expect(resolve('solo@example.test')).resolves.toEqual({ result: 'local', mailboxes: ['dave@example.test'] });
    expect((await mailctl(['alias', 'remove', '@example.test'], system.env)).code).toBe(0);
    await expect(resolve('solo@example.test')).resolves.toEqual({ result: 'unknown-user' });
    expect((await mailctl(['alias', 'list', 'example.test'], system.env)).stdout).toMatch(/^ALIAS.*\nsales@example\.test\s+bob@example\.test,erin@other\.test\s+\S+\n$/);
  });
});
