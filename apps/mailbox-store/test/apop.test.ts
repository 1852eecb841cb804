/**
 * Integration: APOP secrets set with the real mailctl, sealed under
 * APOP_SECRET_KEY, and checked by `auth.apop` with the digest method of
 * RFC 1939 §7 (seed 004): MD5 of the greeting's timestamp and the secret.
 */
import { randomBytes } from 'node:crypto';
import { Requests } from '@mail/contracts';
import { startServiceProcess, waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailctl } from './fixtures/mailctl';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

/** RFC 1939 §7's example, the one seed 004 shows: timestamp, secret "tanstaaf", and the digest. */
const rfcTimestamp = '<1896.697170952@dbc.mtview.ca.us>';
const rfcDigest = 'c4c9334bac560ecc979e58001b3e22fb';

describe('APOP secrets', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_apop');
    await system.start({ env: { APOP_SECRET_KEY: randomBytes(32).toString('hex') } });
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    for (const user of ['mrose', 'bob']) await system.admin({ version: 1, op: 'user.add', address: `${user}@example.test`, password: 'pw' });
  });
  afterAll(() => system?.cleanup());

  const apop = (username: string, digest: string, timestamp = rfcTimestamp) => system.bus.request(Requests.verifyApop, { version: 1, username, timestamp, digest });

  it('stores the secret sealed, never in clear, and shows that it is set', async () => {
    expect(await mailctl(['user', 'apop', 'mrose@example.test', '--secret-stdin'], system.env, 'tanstaaf\n')).toMatchObject({ code: 0, stdout: 'APOP secret of mrose@example.test set\n' });
    const { rows } = await system.db.query<{ apop_secret: string }>("SELECT apop_secret FROM users WHERE address = 'mrose@example.test'");
    expect(rows[0]?.apop_secret).toMatch(/^aes-256-gcm\$[0-9a-f]{8}\$/);
    expect(rows[0]?.apop_secret).not.toContain('tanstaaf');
    expect((await mailctl(['user', 'list'], system.env)).stdout).toMatch(/^mrose@example\.test\s+0\s+0\s+none\s+yes\s/m);
  });

  it("accepts the RFC's digest, in any case, and nothing else", async () => {
    await expect(apop('mrose@example.test', rfcDigest)).resolves.toEqual({ ok: true, user: 'mrose@example.test' });
    await expect(apop('MRose@Example.test', rfcDigest.toUpperCase())).resolves.toEqual({ ok: true, user: 'mrose@example.test' });
    await expect(apop('mrose@example.test', rfcDigest.replace(/^c/, 'd'))).resolves.toEqual({ ok: false });
    await expect(apop('mrose@example.test', rfcDigest, '<1896.697170953@dbc.mtview.ca.us>')).resolves.toEqual({ ok: false });
    await expect(apop('bob@example.test', rfcDigest)).resolves.toEqual({ ok: false });
    await expect(apop('nobody@example.test', rfcDigest)).resolves.toEqual({ ok: false });
  });

  it('refuses APOP once the secret is cleared', async () => {
    expect((await mailctl(['user', 'apop', 'mrose@example.test', '--clear'], system.env)).stdout).toBe('APOP secret of mrose@example.test removed\n');
    await expect(apop('mrose@example.test', rfcDigest)).resolves.toEqual({ ok: false });
  });

  it('says clearly that APOP_SECRET_KEY is needed when it is not set', async () => {
    const other = await createTestSystem('mbx_apop_nokey');
    try {
      await other.start();
      await other.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
      await other.admin({ version: 1, op: 'user.add', address: 'mrose@example.test', password: 'pw' });
      const refused = await mailctl(['user', 'apop', 'mrose@example.test', '--secret', 'tanstaaf'], other.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe('mailctl: APOP_SECRET_KEY is not set on mailbox-store; set it (e.g. `openssl rand -hex 32`) to store APOP secrets (apop-unavailable)\n');
    } finally {
      await other.cleanup();
    }
  });

  it('refuses to start with a malformed APOP_SECRET_KEY, naming the variable but not the value', async () => {
    const service = await startServiceProcess('mailbox-store', { ...system.env, APOP_SECRET_KEY: 'much-too-short-key' }, { waitReady: false });
    expect(await service.exited).not.toBe(0);
    await waitFor(() => service.output().includes('APOP_SECRET_KEY must be 32 random octets'), { description: 'the configuration error' });
    expect(service.output()).not.toContain('much-too-short-key');
  });
});
