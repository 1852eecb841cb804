/**
 * Integration: expunge records end after EXPUNGE_RECORD_RETENTION
 * (005_expunge_retention.sql) against a real mailbox-store and PostgreSQL.
 * A QRESYNC client resynchronising from after the pruned records still
 * gets exact VANISHED (EARLIER) UIDs; one from before them gets every UID
 * the folder no longer holds (a superset RFC 7162 allows), never fewer.
 */
import { Requests } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpungeRecords } from '../src/mailbox/expunge-record-pruner';
import { classifiedMail, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

const user = 'erin@example.test';
const day = 24 * 60 * 60 * 1000;

describe('expunge record retention', () => {
  let system: TestSystem;
  const select = () => system.bus.request(Requests.selectFolder, { version: 1, user, folder: 'INBOX', afterUid: 0, limit: 100 });
  const changesSince = (since: number, uids?: { first: number; last: number }[]) =>
    system.bus.request(Requests.folderChanges, { version: 1, user, folder: 'INBOX', since, afterUid: 0, limit: 100, ...(uids === undefined ? {} : { uids }) });
  const expungeUid = async (uid: number) => {
    await system.bus.request(Requests.storeFlags, { version: 1, user, folder: 'INBOX', uids: [{ first: uid, last: uid }], action: 'add', flags: ['\\Deleted'] });
    expect((await system.bus.request(Requests.expungeFolder, { version: 1, user, folder: 'INBOX' })).expunged).toEqual([uid]);
  };

  beforeAll(async () => {
    system = await createTestSystem('mbx_xret');
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: user, password: 'pw' });
    for (let n = 1; n <= 6; n++) await publishClassified(system.bus, await classifiedMail(system.bus, { queueId: `xret000${n}`, body: sampleMessage(`m${n}`, 400), localRecipients: [user] }));
    await waitFor(async () => ((await select()).exists === 6 ? true : undefined), { description: 'six messages in INBOX' });
  });
  afterAll(() => system?.cleanup());

  it('prunes only records past the retention, and answers exactly from after them, a superset from before', async () => {
    const start = await select();
    expect(start.messages.map((message) => message.uid)).toEqual([1, 2, 3, 4, 5, 6]);
    await expungeUid(2);
    await expungeUid(4);
    const middle = await select();
    await expungeUid(5);
    // The first two records are 31 days old, the last one is new
    await system.db.query(`UPDATE expunged_entries SET expunged_at = now() - interval '31 days' WHERE imap_uid IN (2, 4)`);

    expect(await pruneExpungeRecords(system.db, 30 * day)).toBe(2);
    const { rows } = await system.db.query<{ imap_uid: string }>('SELECT imap_uid FROM expunged_entries ORDER BY imap_uid');
    expect(rows.map((row) => Number(row.imap_uid))).toEqual([5]);
    expect(await pruneExpungeRecords(system.db, 30 * day)).toBe(0);

    // From after the pruned records: exact
    expect((await changesSince(middle.highestModseq)).vanished).toEqual([{ first: 5, last: 5 }]);
    // From before them: every UID below UIDNEXT the folder lacks, within the client's set if it gives one
    expect((await changesSince(start.highestModseq)).vanished).toEqual([
      { first: 2, last: 2 },
      { first: 4, last: 5 },
    ]);
    expect((await changesSince(0, [{ first: 3, last: 9 }])).vanished).toEqual([{ first: 4, last: 5 }]);
  });

  it('leaves records younger than the retention', async () => {
    await expungeUid(6);
    expect(await pruneExpungeRecords(system.db, 30 * day)).toBe(0);
    const { rows } = await system.db.query<{ imap_uid: string }>('SELECT imap_uid FROM expunged_entries ORDER BY imap_uid');
    expect(rows.map((row) => Number(row.imap_uid))).toEqual([5, 6]);
  });
});
