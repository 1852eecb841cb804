/** Integration: recipient resolution, credential checks and maildrop refusals over the bus. */
import { RemoteError } from '@mail/bus';
import { Requests } from '@mail/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

describe('directory requests', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_directory');
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: 'bob@example.test', password: 'correct horse' });
  });
  afterAll(() => system?.cleanup());

  const resolve = (address: string) => system.bus.request(Requests.resolveRecipient, { version: 1, address });
  const verify = (username: string, password: string) => system.bus.request(Requests.verifyCredentials, { version: 1, username, password });

  it('resolves recipients case-insensitively', async () => {
    await expect(resolve('Bob@EXAMPLE.test')).resolves.toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
    await expect(resolve('nobody@example.test')).resolves.toEqual({ result: 'unknown-user' });
    await expect(resolve('bob@elsewhere.test')).resolves.toEqual({ result: 'not-local-domain' });
    await expect(resolve('no-domain-at-all')).resolves.toEqual({ result: 'not-local-domain' });
  });

  it('verifies credentials', async () => {
    await expect(verify('BOB@example.test', 'correct horse')).resolves.toEqual({ ok: true, user: 'bob@example.test' });
    await expect(verify('bob@example.test', 'wrong')).resolves.toEqual({ ok: false });
    await expect(verify('nobody@example.test', 'correct horse')).resolves.toEqual({ ok: false });
    await expect(verify('bob@example.test', '')).resolves.toEqual({ ok: false });
  });

  it('refuses maildrop requests for unknown users and messages', async () => {
    await expect(system.bus.request(Requests.listMailbox, { version: 1, user: 'nobody@example.test', folders: ['INBOX'] })).rejects.toMatchObject({ code: 'unknown-user' });
    const fetch = system.bus.request(Requests.fetchChunk, { version: 1, user: 'bob@example.test', uid: 'nope', offset: 0, length: 10 });
    await expect(fetch).rejects.toBeInstanceOf(RemoteError);
    await expect(fetch).rejects.toMatchObject({ code: 'unknown-message' });
  });
});
