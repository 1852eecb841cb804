// Tests of mailbox-sync.ts: the updates a session writes (EXPUNGE or VANISHED, FETCH with or without MODSEQ)
// and QRESYNC's view of what changed since a modseq, against a folder kept in memory that answers
// messages.changes as the contract says (in pages of two, so paging is exercised).
import { RemoteError } from '@mail/bus';
import type { MessageFlags } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';
import { describe, expect, it } from 'vitest';
import { storeRefusal, type MailboxStoreClient } from '../mailbox/mailbox-store-client';
import { changedMessages, changesSince, expungedSince, expungeUpdates, flagsUpdate, modseqUpdate, openMailbox, SelectedMailboxGoneError, selectedMailboxRefusal, synchronize } from './mailbox-sync';
import { SelectedMailbox } from './selected-mailbox';
import type { ProtocolState, SessionWireOptions } from './session-state';

const PLAIN: SessionWireOptions = { utf8: false, condstore: false, qresync: false };
const CONDSTORE: SessionWireOptions = { utf8: false, condstore: true, qresync: false };
const QRESYNC: SessionWireOptions = { utf8: false, condstore: true, qresync: true };

/** A folder: its messages (UID → flags, modseq) and the UIDs expunged (UID → modseq of the expunge). */
function folder(messages: MessageFlags[], expunged: [number, number][], uidValidity = 7) {
  const highestModseq = Math.max(0, ...messages.map((m) => m.modseq), ...expunged.map(([, modseq]) => modseq));
  const asked: unknown[] = [];
  const store: Pick<MailboxStoreClient, 'folderChanges'> = {
    folderChanges: async (ask) => {
      asked.push(ask);
      const within = (uid: number) => ask.uids === undefined || ask.uids.some((r) => uid >= r.first && uid <= r.last);
      const changed = messages.filter((m) => m.modseq > ask.since && m.uid > ask.afterUid && within(m.uid));
      const pageSize = Math.min(2, ask.limit);
      const vanished = expunged.filter(([uid, modseq]) => modseq > ask.since && within(uid)).map(([uid]) => ({ first: uid, last: uid }));
      return { uidValidity, uidNext: 20, highestModseq, specialUse: null, changed: changed.slice(0, pageSize), more: changed.length > pageSize, vanished };
    },
  };
  return { store: store as MailboxStoreClient, asked };
}

const lines = (buffers: Buffer[]) => buffers.map(String);
async function collect(updates: AsyncIterable<Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const update of updates) out.push(String(update));
  return out;
}

describe('flagsUpdate and modseqUpdate', () => {
  const message = { uid: 9, flags: ['\\Seen', 'work'], modseq: 41 };
  it('writes UID and FLAGS, and MODSEQ once CONDSTORE is on (RFC 7162 §3.1)', () => {
    expect(String(flagsUpdate(3, message, PLAIN))).toBe('* 3 FETCH (UID 9 FLAGS (\\Seen work))\r\n');
    expect(String(flagsUpdate(3, message, CONDSTORE))).toBe('* 3 FETCH (UID 9 FLAGS (\\Seen work) MODSEQ (41))\r\n');
    expect(String(modseqUpdate(3, message))).toBe('* 3 FETCH (UID 9 MODSEQ (41))\r\n');
  });
});

describe('expungeUpdates', () => {
  const box = () => new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 6, 9], 10, 40);

  it('reports EXPUNGE per message, highest number first (RFC 9051 §7.5.1)', () => {
    const mailbox = box();
    expect(lines(expungeUpdates(mailbox, [3, 6, 42], PLAIN))).toEqual(['* 3 EXPUNGE\r\n', '* 1 EXPUNGE\r\n']);
    expect(mailbox.exists).toBe(2);
  });

  it('reports one VANISHED of the known UIDs once QRESYNC is on (RFC 7162 §3.2.10)', () => {
    const mailbox = box();
    expect(lines(expungeUpdates(mailbox, [5, 6, 9, 42], QRESYNC))).toEqual(['* VANISHED 5:6,9\r\n']);
    expect([mailbox.exists, mailbox.uidAt(1)]).toEqual([1, 3]);
    expect(expungeUpdates(mailbox, [42], QRESYNC)).toEqual([]);
  });
});

describe('synchronize', () => {
  const messages = [
    { uid: 3, flags: [], modseq: 10 },
    { uid: 5, flags: ['\\Seen'], modseq: 45 },
    { uid: 9, flags: ['\\Flagged'], modseq: 46 },
    { uid: 12, flags: [], modseq: 47 },
  ];

  it('takes in expunges, flag changes and new messages, each once', async () => {
    const { store } = folder(messages, [[6, 44]]);
    const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 6, 9], 10, 40);
    expect(lines(await synchronize(store, 'bob', mailbox, PLAIN))).toEqual(['* 3 EXPUNGE\r\n', '* 2 FETCH (UID 5 FLAGS (\\Seen))\r\n', '* 3 FETCH (UID 9 FLAGS (\\Flagged))\r\n', '* 4 EXISTS\r\n']);
    expect([mailbox.highestModseq, mailbox.lastUid]).toEqual([47, 12]);
    expect(await synchronize(store, 'bob', mailbox, PLAIN)).toEqual([]);
  });

  it('writes VANISHED and MODSEQ in a QRESYNC session', async () => {
    const { store } = folder(messages, [[6, 44]]);
    const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 6, 9], 10, 40);
    expect(lines(await synchronize(store, 'bob', mailbox, QRESYNC))).toEqual([
      '* VANISHED 6\r\n',
      '* 2 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (45))\r\n',
      '* 3 FETCH (UID 9 FLAGS (\\Flagged) MODSEQ (46))\r\n',
      '* 4 EXISTS\r\n',
    ]);
  });

  it('does not repeat a flag state the session itself reported, but reports any later change (RFC 9051 §7.5.2)', async () => {
    const { store } = folder(messages, []);
    const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 9, 12], 13, 44);
    // the session's own STORE answered UIDs 5 and 9 at modseq 45; others changed 9 since (46), and 12 (47)
    mailbox.noteReported(5, 45);
    mailbox.noteReported(9, 45);
    expect(lines(await synchronize(store, 'bob', mailbox, CONDSTORE))).toEqual(['* 3 FETCH (UID 9 FLAGS (\\Flagged) MODSEQ (46))\r\n', '* 4 FETCH (UID 12 FLAGS () MODSEQ (47))\r\n']);
    expect(mailbox.wasReported({ uid: 5, modseq: 45 })).toBe(false); // taken in up to 47: forgotten
  });

  it('ends the session when the folder was recreated (RFC 9051 §2.3.1.1)', async () => {
    const { store } = folder(messages, [], 8);
    const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3], 10, 40);
    await expect(synchronize(store, 'bob', mailbox, PLAIN)).rejects.toMatchObject({ status: 'BYE' });
  });
});

describe('QRESYNC: expungedSince and changesSince (RFC 7162 §3.2.5.1)', () => {
  const messages = [
    { uid: 1, flags: [], modseq: 5 },
    { uid: 2, flags: ['\\Seen'], modseq: 31 },
    { uid: 4, flags: ['\\Answered'], modseq: 32 },
    { uid: 7, flags: [], modseq: 33 },
    { uid: 8, flags: ['\\Deleted'], modseq: 38 },
  ];
  const expunged: [number, number][] = [
    [3, 12],
    [5, 35],
    [6, 36],
    [9, 39],
  ];

  it('names the UIDs expunged since the modseq, within the known UIDs, without those the session still shows', async () => {
    const { store } = folder(messages, expunged);
    // the session still shows 9: its expunge came after the SELECT's snapshot
    const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [1, 2, 4, 7, 8, 9], 10, 38);
    expect(await expungedSince(store, 'bob', mailbox, 30)).toEqual([5, 6]);
    expect(await expungedSince(store, 'bob', mailbox, 10)).toEqual([3, 3, 5, 6]);
    expect(await expungedSince(store, 'bob', mailbox, 10, [1, 4])).toEqual([3, 3]);
    expect(await expungedSince(store, 'bob', mailbox, 10, [])).toEqual([]);
  });

  it('reports the messages the session shows that changed since the modseq, page by page', async () => {
    const { store, asked } = folder([...messages, { uid: 11, flags: [], modseq: 40 }], expunged);
    const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [1, 2, 4, 7, 8], 10, 38);
    expect(await collect(changesSince(store, 'bob', mailbox, 30, undefined, QRESYNC))).toEqual([
      '* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (31))\r\n',
      '* 3 FETCH (UID 4 FLAGS (\\Answered) MODSEQ (32))\r\n',
      '* 4 FETCH (UID 7 FLAGS () MODSEQ (33))\r\n',
      '* 5 FETCH (UID 8 FLAGS (\\Deleted) MODSEQ (38))\r\n',
    ]);
    expect(asked.map((a) => (a as { afterUid: number }).afterUid)).toEqual([0, 4, 8]);
    expect(await collect(changesSince(store, 'bob', mailbox, 30, [4, 7], QRESYNC))).toEqual(['* 3 FETCH (UID 4 FLAGS (\\Answered) MODSEQ (32))\r\n', '* 4 FETCH (UID 7 FLAGS () MODSEQ (33))\r\n']);
  });
});

/** What mailbox-store answers about a folder that is no longer there under its name (the client's mapping of unknown-folder). */
const noSuchFolder = () => storeRefusal('read the changes', new RemoteError('unknown-folder', 'no folder Work'));

/** messages.changes of a folder deleted or renamed since it was selected; `asked` counts the requests. */
function goneFolder() {
  const asked: unknown[] = [];
  const store = {
    folderChanges: async (ask: unknown) => {
      asked.push(ask);
      throw noSuchFolder();
    },
  } as unknown as MailboxStoreClient;
  return { store, asked };
}

describe('a selected mailbox deleted or renamed by another session (RFC 2180 §3.3)', () => {
  const work = () => new SelectedMailbox({ name: 'Work', readOnly: false, uidValidity: 7 }, [3, 5], 6, 40);
  const selected = (mailbox: SelectedMailbox): ProtocolState => ({ kind: 'selected', user: 'bob', mailbox, unwatch: () => undefined });

  it('ends the session with BYE at the next synchronize (NOOP, IDLE, after a command) and in QRESYNC reads', async () => {
    const { store } = goneFolder();
    const mailbox = work();
    const failure = await synchronize(store, 'bob', mailbox, PLAIN).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SelectedMailboxGoneError);
    expect(failure).toMatchObject({ status: 'BYE', closeConnection: true, tag: undefined, refusal: { status: 'NO', code: 'NONEXISTENT' } });
    expect(mailbox.exists).toBe(2); // nothing taken in
    await expect(expungedSince(store, 'bob', mailbox, 30)).rejects.toBeInstanceOf(SelectedMailboxGoneError);
    await expect(collect(changesSince(store, 'bob', mailbox, 30, undefined, CONDSTORE))).rejects.toBeInstanceOf(SelectedMailboxGoneError);
    await expect(changedMessages(store, 'bob', mailbox, 30, undefined).next()).rejects.toMatchObject({ status: 'BYE' });
  });

  it('lets other failures of messages.changes through as they are', async () => {
    const unavailable = new ImapResponseError('NO', 'Cannot read the mailbox right now', { code: 'UNAVAILABLE', userFault: false });
    const store = { folderChanges: () => Promise.reject(unavailable) } as unknown as MailboxStoreClient;
    await expect(synchronize(store, 'bob', work(), PLAIN)).rejects.toBe(unavailable);
  });

  it('answers a SELECT whose folder went away between its pages NO [NONEXISTENT], as any SELECT of a missing folder (RFC 9051 §6.3.2)', async () => {
    const { store: gone } = goneFolder();
    const page = (uids: number[], more: boolean) => ({
      uidValidity: 7,
      uidNext: 9,
      highestModseq: 40,
      specialUse: null,
      exists: 2,
      unseen: 0,
      firstUnseenUid: null,
      more,
      messages: uids.map((uid) => ({ uid, flags: [], modseq: 1 })),
    });
    const pages = [page([3], true), page([5], false)];
    const store = { ...gone, selectFolder: async () => pages.shift() } as unknown as MailboxStoreClient;
    await expect(openMailbox(store, 'bob', { name: 'Work', readOnly: false })).rejects.toMatchObject({ status: 'NO', code: 'NONEXISTENT' });
  });

  it('turns a command’s NO [NONEXISTENT] into BYE when the selected mailbox is what is missing', async () => {
    const { store, asked } = goneFolder();
    const refusal = noSuchFolder() as ImapResponseError;
    const answer = await selectedMailboxRefusal(store, selected(work()), refusal);
    expect(answer).toBeInstanceOf(SelectedMailboxGoneError);
    expect(asked).toEqual([{ user: 'bob', folder: 'Work', since: 40, afterUid: 0, limit: 1 }]);
  });

  it('keeps a NO [NONEXISTENT] about another name (STATUS, COPY target) when the selected mailbox is there', async () => {
    const { store, asked } = folder([{ uid: 3, flags: [], modseq: 10 }], []);
    const refusal = noSuchFolder() as ImapResponseError;
    expect(await selectedMailboxRefusal(store, selected(work()), refusal)).toBe(refusal);
    expect(asked).toHaveLength(1);
  });

  it('says BYE when the selected mailbox was recreated under its name (RFC 9051 §2.3.1.1)', async () => {
    const { store } = folder([], [], 8);
    expect(await selectedMailboxRefusal(store, selected(work()), noSuchFolder() as ImapResponseError)).toMatchObject({ status: 'BYE' });
  });

  it('asks nothing for other refusals, outside the selected state, or when the check itself fails', async () => {
    const { store, asked } = goneFolder();
    const quota = new ImapResponseError('NO', 'Over quota', { code: 'OVERQUOTA', userFault: true });
    expect(await selectedMailboxRefusal(store, selected(work()), quota)).toBe(quota);
    const refusal = noSuchFolder() as ImapResponseError;
    expect(await selectedMailboxRefusal(store, { kind: 'authenticated', user: 'bob' }, refusal)).toBe(refusal);
    expect(asked).toEqual([]);
    const unavailable = { folderChanges: () => Promise.reject(new ImapResponseError('NO', 'No answer', { code: 'UNAVAILABLE', userFault: false })) } as unknown as MailboxStoreClient;
    expect(await selectedMailboxRefusal(unavailable, selected(work()), refusal)).toBe(refusal);
  });
});
