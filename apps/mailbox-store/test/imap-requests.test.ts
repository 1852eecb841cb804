/**
 * Integration: the IMAP folder and message requests against a real
 * mailbox-store and PostgreSQL — UIDs ascending and never reused, modseq
 * monotonic, POP3 and IMAP expunges visible to each other, a move into
 * Junk teaching the spam filter, and mailbox.changed notices after commits.
 */
import { Notices, Requests, Streams, type FeedbackClassified, type MailboxChanged } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

const user = 'carol@example.test';
const all = [{ first: 1, last: 4_294_967_295 }];

describe('IMAP requests', () => {
  let system: TestSystem;
  const notices: MailboxChanged[] = [];
  const select = (folder: string) => system.bus.request(Requests.selectFolder, { version: 1, user, folder, afterUid: 0, limit: 100 });

  async function deliver(queueId: string, subject: string) {
    await publishClassified(system.bus, await classifiedMail(system.bus, { queueId, body: sampleMessage(subject, 800), localRecipients: [user] }));
  }

  beforeAll(async () => {
    system = await createTestSystem('mbx_imap');
    // mail.v1.mailbox.changed is keyed by user: the test user's own subject
    system.bus.listen(Notices.mailboxChanged, (notice) => notices.push(notice), { key: user });
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: user, password: 'pw' });
  });
  afterAll(() => system?.cleanup());

  it('lists the special-use folders, subscribed, with counts', async () => {
    const listed = await system.bus.request(Requests.listFolders, { version: 1, user, counts: true });
    expect(listed.folders.map((folder) => [folder.name, folder.specialUse, folder.subscribed])).toEqual([
      ['Archive', '\\Archive', true],
      ['Drafts', '\\Drafts', true],
      ['INBOX', null, true],
      ['Junk', '\\Junk', true],
      ['Sent', '\\Sent', true],
      ['Trash', '\\Trash', true],
    ]);
    expect(listed.folders[2]?.counts).toEqual({ messages: 0, unseen: 0, deleted: 0, size: 0 });
  });

  it('gives delivered messages ascending UIDs, announced after the commit, and a redelivery nothing', async () => {
    await deliver('imapreq0001', 'first');
    await deliver('imapreq0002', 'second');
    await deliver('imapreq0003', 'third');
    const selected = await waitFor(async () => ((await select('inbox')).exists === 3 ? select('INBOX') : undefined), { description: 'three messages in INBOX' });
    expect(selected.messages.map((message) => message.uid)).toEqual([1, 2, 3]);
    expect(selected).toMatchObject({ uidNext: 4, unseen: 3, firstUnseenUid: 1 });
    await waitFor(() => notices.filter((n) => n.kind === 'added' && n.folder === 'INBOX').flatMap((n) => n.uids).length === 3 || undefined, { description: 'added notices' });
    await publishClassified(system.bus, await classifiedMail(system.bus, { queueId: 'imapreq0001', body: sampleMessage('first', 800), localRecipients: [user] }), 'imapreq0001-again');
    await deliver('imapreq0004', 'fourth');
    const after = await waitFor(async () => ((await select('INBOX')).exists === 4 ? select('INBOX') : undefined), { description: 'four messages' });
    expect(after.messages.map((message) => message.uid)).toEqual([1, 2, 3, 4]);
    // UIDs follow the commit order of the deliveries (concurrent batches may commit in either order)
    const fetched = await system.bus.request(Requests.fetchMeta, { version: 1, user, folder: 'INBOX', uids: all, header: true });
    expect(fetched.messages.map((m) => m.summary.subject).sort()).toEqual(['first', 'fourth', 'second', 'third']);
    const second = fetched.messages.find((m) => m.summary.subject === 'second');
    expect(Buffer.from(second?.header ?? '', 'base64').toString()).toMatch(/Subject: second\r\n[\s\S]*\r\n\r\n$/);
    const chunk = await system.bus.request(Requests.fetchChunk, { version: 1, user, uid: second?.key ?? '', offset: 0, length: 100_000 });
    expect(chunk).toMatchObject({ eof: true, size: second?.size });
  });

  it('stores flags with a new modseq, honours UNCHANGEDSINCE and answers changes since', async () => {
    const before = await select('INBOX');
    const stored = await system.bus.request(Requests.storeFlags, { version: 1, user, folder: 'INBOX', uids: [{ first: 1, last: 2 }], action: 'add', flags: ['\\seen', 'Work'] });
    expect(stored.highestModseq).toBeGreaterThan(before.highestModseq);
    expect(stored.messages.map((m) => [m.uid, [...m.flags].sort()])).toEqual([
      [1, ['Work', '\\Seen']],
      [2, ['Work', '\\Seen']],
    ]);
    const conditional = await system.bus.request(Requests.storeFlags, {
      version: 1,
      user,
      folder: 'INBOX',
      uids: [{ first: 1, last: 3 }],
      action: 'add',
      flags: ['\\Flagged'],
      unchangedSince: before.highestModseq,
    });
    expect(conditional.failed).toEqual([1, 2]);
    expect(conditional.messages.map((m) => m.uid)).toEqual([3]);
    const changes = await system.bus.request(Requests.folderChanges, { version: 1, user, folder: 'INBOX', since: before.highestModseq, afterUid: 0, limit: 100 });
    expect(changes.changed.map((m) => m.uid)).toEqual([1, 2, 3]);
    expect(changes.vanished).toEqual([]);
    expect((await select('INBOX')).unseen).toBe(2);
  });

  it('sees a POP3 expunge as vanished UIDs and expunges \\Deleted messages itself', async () => {
    const before = await select('INBOX');
    const [first] = (await system.bus.request(Requests.fetchMeta, { version: 1, user, folder: 'INBOX', uids: [{ first: 1, last: 1 }], header: false })).messages;
    expect(await system.bus.request(Requests.expunge, { version: 1, user, uids: [first?.key ?? ''] })).toEqual({ deleted: 1 });
    const afterPop3 = await system.bus.request(Requests.folderChanges, { version: 1, user, folder: 'INBOX', since: before.highestModseq, afterUid: 0, limit: 100 });
    expect(afterPop3.vanished).toEqual([{ first: 1, last: 1 }]);
    expect(afterPop3.highestModseq).toBeGreaterThan(before.highestModseq);
    await system.bus.request(Requests.storeFlags, { version: 1, user, folder: 'INBOX', uids: [{ first: 2, last: 2 }], action: 'add', flags: ['\\Deleted'] });
    const expunged = await system.bus.request(Requests.expungeFolder, { version: 1, user, folder: 'INBOX' });
    expect(expunged.expunged).toEqual([2]);
    expect((await system.bus.request(Requests.listMailbox, { version: 1, user, folders: ['INBOX'] })).entries).toHaveLength(2);
    await waitFor(() => notices.some((n) => n.kind === 'expunged' && n.uids.includes(1)) || undefined, { description: 'the POP3 expunge notice' });
  });

  it('copies with COPYUID counting against the quota, and a move into Junk trains the spam filter', async () => {
    const copy = await system.bus.request(Requests.copyMessages, { version: 1, user, folder: 'INBOX', uids: all, to: 'Archive', move: false });
    expect(copy.copied).toEqual([
      { from: 3, to: 1 },
      { from: 4, to: 2 },
    ]);
    await system.admin({ version: 1, op: 'user.quota', address: user, bytes: 1 });
    await expect(system.bus.request(Requests.copyMessages, { version: 1, user, folder: 'INBOX', uids: all, to: 'Archive', move: false })).rejects.toMatchObject({ code: 'over-quota' });
    const quota = await system.bus.request(Requests.quota, { version: 1, user });
    expect(quota).toMatchObject({ limitOctets: 1, messages: 4 });
    const moved = await system.bus.request(Requests.copyMessages, { version: 1, user, folder: 'INBOX', uids: [{ first: 3, last: 3 }], to: 'Junk', move: true });
    expect(moved.copied).toEqual([{ from: 3, to: 1 }]);
    expect((await select('INBOX')).messages.map((m) => m.uid)).toEqual([4]);
    const junk = await select('Junk');
    expect(junk.messages.map((m) => [m.uid, [...m.flags].sort()])).toEqual([[1, ['\\Flagged']]]);
    const feedback = await waitFor(
      async () => {
        const consumer = await system.bus.js.consumers.get(system.bus.ns.streamName(Streams.feedback));
        const seen: FeedbackClassified[] = [];
        for await (const msg of await consumer.fetch({ max_messages: 100, expires: 1_000 })) seen.push(msg.json<FeedbackClassified>());
        return seen.length > 0 ? seen : undefined;
      },
      { description: 'a feedback event' },
    );
    expect(feedback).toMatchObject([{ user, verdict: 'spam' }]);
    // the UID given by the move is never given again
    await system.bus.request(Requests.copyMessages, { version: 1, user, folder: 'Junk', uids: all, to: 'INBOX', move: true });
    expect((await select('INBOX')).messages.map((m) => m.uid)).toEqual([4, 5]);
  });

  it('gives an entry moved by mailctl message move the next UID of its new folder, the old one expunged', async () => {
    const inbox = await select('INBOX');
    const junk = await select('Junk');
    const [entry] = (await system.bus.request(Requests.fetchMeta, { version: 1, user, folder: 'INBOX', uids: [{ first: 4, last: 4 }], header: false })).messages;
    await system.admin({ version: 1, op: 'message.move', address: user, uid: entry?.key ?? '', folder: 'Junk' });
    expect((await select('Junk')).messages.map((m) => m.uid)).toEqual([junk.uidNext]);
    const changes = await system.bus.request(Requests.folderChanges, { version: 1, user, folder: 'INBOX', since: inbox.highestModseq, afterUid: 0, limit: 100 });
    expect(changes.vanished).toEqual([{ first: 4, last: 4 }]);
    await waitFor(() => notices.some((n) => n.kind === 'added' && n.folder === 'Junk' && n.uids.includes(junk.uidNext)) || undefined, { description: 'the move notice' });
  });
});
