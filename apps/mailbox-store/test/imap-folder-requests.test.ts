/**
 * Integration: CREATE, DELETE, RENAME and SUBSCRIBE (RFC 9051 §6.3.4-6.3.8)
 * against a real mailbox-store, PostgreSQL and NATS — superior levels
 * created, [ALREADYEXISTS]/[NONEXISTENT] as codes, UIDVALIDITY never given
 * twice to a name, a rename keeping UIDs and special-use, renaming INBOX
 * emptying it, a delete releasing the quota, and folder notices.
 */
import { Notices, Requests, type MailboxChanged } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

const user = 'dora@example.test';
const all = [{ first: 1, last: 4_294_967_295 }];

describe('IMAP folder requests', () => {
  let system: TestSystem;
  const notices: MailboxChanged[] = [];
  const list = async () => (await system.bus.request(Requests.listFolders, { version: 1, user, counts: true })).folders;
  const folder = async (name: string) => (await list()).find((listed) => listed.name === name);
  const create = (name: string, specialUse?: '\\Flagged') => system.bus.request(Requests.createFolder, { version: 1, user, name, ...(specialUse ? { specialUse } : {}) });
  const rename = (from: string, to: string) => system.bus.request(Requests.renameFolder, { version: 1, user, from, to });
  const remove = (name: string) => system.bus.request(Requests.deleteFolder, { version: 1, user, name });
  const select = (name: string) => system.bus.request(Requests.selectFolder, { version: 1, user, folder: name, afterUid: 0, limit: 100 });

  beforeAll(async () => {
    system = await createTestSystem('mbx_imapfolders');
    // mail.v1.mailbox.changed is keyed by user: the test user's own subject
    system.bus.listen(Notices.mailboxChanged, (notice) => notices.push(notice), { key: user });
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: user, password: 'pw' });
    for (const [i, subject] of ['one', 'two', 'three'].entries()) {
      await publishClassified(system.bus, await classifiedMail(system.bus, { queueId: `imapfold000${i}`, body: sampleMessage(subject, 2_000), localRecipients: [user] }));
    }
    await waitFor(async () => (await select('INBOX')).exists === 3 || undefined, { description: 'three messages in INBOX' });
  });
  afterAll(() => system?.cleanup());

  it('creates a folder with its superior levels, each with a new UIDVALIDITY, and refuses names that exist', async () => {
    const inbox = await folder('INBOX');
    const created = await create('Projects/2026/Q1/');
    expect(created.name).toBe('Projects/2026/Q1');
    expect(created.uidValidity).toBeGreaterThan(inbox?.uidValidity ?? Infinity);
    const names = (await list()).map((listed) => [listed.name, listed.hasChildren]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['Projects', true],
        ['Projects/2026', true],
        ['Projects/2026/Q1', false],
      ]),
    );
    await expect(create('Projects/2026')).rejects.toMatchObject({ code: 'folder-exists' });
    await expect(create('inbox')).rejects.toMatchObject({ code: 'folder-exists' });
    await expect(create('a//b')).rejects.toMatchObject({ code: 'invalid-folder' });
    expect((await create('inbox/Receipts')).name).toBe('INBOX/Receipts');
    await waitFor(() => notices.some((n) => n.kind === 'folder' && n.folder === 'Projects/2026/Q1') || undefined, { description: 'the folder notice' });
  });

  it('creates a special-use folder once per attribute (RFC 6154 §3)', async () => {
    await create('Starred', '\\Flagged');
    expect((await folder('Starred'))?.specialUse).toBe('\\Flagged');
    await expect(create('Also starred', '\\Flagged')).rejects.toMatchObject({ code: 'special-use-taken' });
  });

  it('subscribes names with or without a folder, and says whether anything changed', async () => {
    expect(await system.bus.request(Requests.subscribeFolder, { version: 1, user, name: 'Later', subscribed: true })).toEqual({ changed: true });
    expect(await system.bus.request(Requests.subscribeFolder, { version: 1, user, name: 'Later', subscribed: true })).toEqual({ changed: false });
    expect((await system.bus.request(Requests.listFolders, { version: 1, user, counts: false })).orphanSubscriptions).toEqual(['Later']);
    expect(await system.bus.request(Requests.subscribeFolder, { version: 1, user, name: 'Projects/2026', subscribed: true })).toEqual({ changed: true });
    expect((await folder('Projects/2026'))?.subscribed).toBe(true);
    expect(await system.bus.request(Requests.subscribeFolder, { version: 1, user, name: 'Later', subscribed: false })).toEqual({ changed: true });
    await expect(system.bus.request(Requests.subscribeFolder, { version: 1, user: 'nobody@example.test', name: 'X', subscribed: true })).rejects.toMatchObject({ code: 'unknown-user' });
  });

  it('renames a folder with its inferior names, keeping UIDs, UIDVALIDITY and special-use', async () => {
    await system.bus.request(Requests.copyMessages, { version: 1, user, folder: 'INBOX', uids: all, to: 'Projects/2026', move: false });
    const before = await folder('Projects/2026');
    const renamed = await rename('Projects', 'Work/Projects');
    expect(renamed.renamed).toEqual([
      { from: 'Projects', to: 'Work/Projects' },
      { from: 'Projects/2026', to: 'Work/Projects/2026' },
      { from: 'Projects/2026/Q1', to: 'Work/Projects/2026/Q1' },
    ]);
    const after = await folder('Work/Projects/2026');
    expect(after).toMatchObject({ uidValidity: before?.uidValidity, uidNext: before?.uidNext, counts: { messages: 3 } });
    expect(await folder('Work')).toMatchObject({ hasChildren: true });
    expect(await folder('Projects')).toBeUndefined();
    expect((await select('Work/Projects/2026')).messages.map((m) => m.uid)).toEqual([1, 2, 3]);
    await rename('Starred', 'Important');
    expect((await folder('Important'))?.specialUse).toBe('\\Flagged');
    await expect(rename('Important', 'Work')).rejects.toMatchObject({ code: 'folder-exists' });
    await expect(rename('Nowhere', 'Somewhere')).rejects.toMatchObject({ code: 'unknown-folder' });
    await expect(rename('Junk', 'Spam')).rejects.toMatchObject({ code: 'folder-protected' });
    await expect(rename('Work', 'Work/Inside')).rejects.toMatchObject({ code: 'invalid-folder' });
    // a folder created again under the old name does not take the old UIDVALIDITY
    expect((await create('Projects/2026')).uidValidity).toBeGreaterThan(after?.uidValidity ?? Infinity);
  });

  it('renaming INBOX moves its messages into a new folder and leaves INBOX empty, its UIDs never given again', async () => {
    const inbox = await select('INBOX');
    expect(await rename('INBOX', 'Old mail')).toEqual({ renamed: [{ from: 'INBOX', to: 'Old mail' }] });
    const old = await select('Old mail');
    expect(old.messages.map((m) => m.uid)).toEqual(inbox.messages.map((m) => m.uid));
    expect(old.uidValidity).not.toBe(inbox.uidValidity);
    const emptied = await select('INBOX');
    expect(emptied).toMatchObject({ exists: 0, uidValidity: inbox.uidValidity, uidNext: inbox.uidNext });
    const changes = await system.bus.request(Requests.folderChanges, { version: 1, user, folder: 'INBOX', since: inbox.highestModseq, afterUid: 0, limit: 100 });
    expect(changes.vanished).toEqual([{ first: 1, last: 3 }]);
    expect(await folder('INBOX/Receipts')).toBeDefined();
    await publishClassified(system.bus, await classifiedMail(system.bus, { queueId: 'imapfold0009', body: sampleMessage('four', 2_000), localRecipients: [user] }));
    const next = await waitFor(async () => ((await select('INBOX')).exists === 1 ? select('INBOX') : undefined), { description: 'a new delivery' });
    expect(next.messages.map((m) => m.uid)).toEqual([4]);
  });

  it('deletes a folder and its messages (releasing the quota), leaving inferior names, never INBOX or Junk', async () => {
    const quotaBefore = await system.bus.request(Requests.quota, { version: 1, user });
    const copied = await folder('Work/Projects/2026');
    expect(await remove('Work/Projects/2026')).toEqual({ deletedMessages: 3 });
    const quotaAfter = await system.bus.request(Requests.quota, { version: 1, user });
    expect(quotaAfter.messages).toBe(quotaBefore.messages - 3);
    expect(quotaAfter.usedOctets).toBe(quotaBefore.usedOctets - (copied?.counts?.size ?? 0));
    // The originals the copies were made from are still there.
    expect((await select('Old mail')).exists).toBe(3);
    expect(await remove('Work')).toEqual({ deletedMessages: 0 });
    const names = (await list()).map((listed) => listed.name);
    expect(names).toContain('Work/Projects/2026/Q1');
    expect(names).not.toContain('Work');
    await expect(remove('inbox')).rejects.toMatchObject({ code: 'folder-protected' });
    await expect(remove('Junk')).rejects.toMatchObject({ code: 'folder-protected' });
    await expect(remove('Work')).rejects.toMatchObject({ code: 'unknown-folder' });
    await waitFor(() => notices.some((n) => n.kind === 'expunged' && n.folder === 'Work/Projects/2026' && n.uids.length === 3) || undefined, { description: 'the expunge notice' });
    await waitFor(() => notices.some((n) => n.kind === 'folder' && n.folder === 'Work') || undefined, { description: 'the folder notice' });
  });
});
