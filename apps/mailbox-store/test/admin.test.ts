/** Integration: account administration through the real mailctl bin against a running mailbox-store. */
import { Requests } from '@mail/contracts';
import { createTestNamespace } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailctl } from './fixtures/mailctl';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

describe('administration through the real mailctl', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_admin');
    await system.start();
  });
  afterAll(() => system?.cleanup());

  it('adds a domain and a user (with INBOX, Junk and the other special-use folders), and lists them', async () => {
    expect(await mailctl(['domain', 'add', 'Example.TEST'], system.env)).toMatchObject({ code: 0, stdout: 'domain example.test added\n' });
    expect(await mailctl(['user', 'add', 'Bob@Example.test', '--password', 's3cret'], system.env)).toMatchObject({ code: 0, stdout: 'user bob@example.test added\n' });
    const users = await mailctl(['user', 'list', 'example.test'], system.env);
    expect(users.code).toBe(0);
    expect(users.stdout).toMatch(/^ADDRESS\s+MESSAGES\s+BYTES\s+QUOTA\s+APOP\s+CREATED\nbob@example\.test\s+0\s+0\s+none\s+no\s+\S+\n$/);
    const domains = await mailctl(['domain', 'list'], system.env);
    expect(domains.stdout).toMatch(/example\.test\s+1\s/);
    const { rows } = await system.db.query("SELECT mb.name FROM mailboxes mb JOIN users u ON u.id = mb.user_id WHERE u.address = 'bob@example.test' ORDER BY mb.name");
    expect(rows.map((row) => row.name)).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
  });

  it('refuses a duplicate user, an unknown domain and a duplicate domain with exit 1 and the code', async () => {
    const duplicate = await mailctl(['user', 'add', 'BOB@example.test', '--password', 'x'], system.env);
    expect(duplicate).toMatchObject({ code: 1, stdout: '' });
    expect(duplicate.stderr).toBe('mailctl: user bob@example.test already exists (duplicate-user)\n');
    const unknownDomain = await mailctl(['user', 'add', 'carol@nowhere.test', '--password', 'x'], system.env);
    expect(unknownDomain.code).toBe(1);
    expect(unknownDomain.stderr).toMatch(/domain nowhere\.test does not exist.*\(unknown-domain\)/);
    const duplicateDomain = await mailctl(['domain', 'add', 'example.test'], system.env);
    expect(duplicateDomain.stderr).toMatch(/\(duplicate-domain\)/);
  });

  it('refuses an invalid address or domain locally with exit 2 and one line', async () => {
    const badAddress = await mailctl(['user', 'add', 'not-an-address', '--password', 'x'], system.env);
    expect(badAddress).toMatchObject({ code: 2, stdout: '' });
    expect(badAddress.stderr).toBe('mailctl: invalid address "not-an-address": expected local@domain such as bob@example.test\n');
    const badDomain = await mailctl(['domain', 'add', 'under_score.test'], system.env);
    expect(badDomain.code).toBe(2);
    expect(badDomain.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('answers invalid-address from the server too, for clients that skip the local check', async () => {
    await expect(system.admin({ version: 1, op: 'user.add', address: 'a..b@example.test', password: 'x' })).rejects.toMatchObject({ code: 'invalid-address' });
  });

  it('changes a password read from stdin; the old one stops working at once, though it was just verified', async () => {
    const verify = (password: string) => system.bus.request(Requests.verifyCredentials, { version: 1, username: 'bob@example.test', password });
    // Twice: the second is answered from the recent successes (AUTH_CACHE_TTL), which the change must not outlive
    await expect(verify('s3cret')).resolves.toEqual({ ok: true, user: 'bob@example.test' });
    await expect(verify('s3cret')).resolves.toEqual({ ok: true, user: 'bob@example.test' });
    expect((await mailctl(['user', 'passwd', 'bob@example.test', '--password-stdin'], system.env, 'n3w pass\n')).code).toBe(0);
    await expect(verify('n3w pass')).resolves.toEqual({ ok: true, user: 'bob@example.test' });
    await expect(verify('s3cret')).resolves.toEqual({ ok: false });
  });

  it('refuses to remove a domain that has users, then removes user and domain', async () => {
    const inUse = await mailctl(['domain', 'remove', 'example.test'], system.env);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/\(domain-in-use\)/);
    expect((await mailctl(['user', 'remove', 'bob@example.test'], system.env)).code).toBe(0);
    // A removed user's last password, verified in the test before, no longer logs in
    await expect(system.bus.request(Requests.verifyCredentials, { version: 1, username: 'bob@example.test', password: 'n3w pass' })).resolves.toEqual({ ok: false });
    expect((await mailctl(['user', 'remove', 'bob@example.test'], system.env)).stderr).toMatch(/\(unknown-user\)/);
    expect((await mailctl(['domain', 'remove', 'example.test'], system.env)).code).toBe(0);
    expect((await mailctl(['domain', 'list'], system.env)).stdout).toBe('0 domain(s)\n');
  });

  it('says so when no mailbox-store answers', async () => {
    const empty = await createTestNamespace('mbx_nobody');
    try {
      const result = await mailctl(['domain', 'list'], { ...system.env, NATS_NAMESPACE: empty.namespace });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`mailctl: no mailbox-store answered on ${system.env['NATS_URL']}; is the system running (npm start)?\n`);
    } finally {
      await empty.cleanup();
    }
  });
});
