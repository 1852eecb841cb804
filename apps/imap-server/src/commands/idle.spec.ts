// Tests of idle.ts: the sessions one notice wakes share their messages.changes request, and a notice that comes
// while the changes are read is not lost — with the change feed for real and a messages.changes the test answers.
import { RemoteError } from '@mail/bus';
import type { CommandReaderEvent } from '@mail/imap';
import { describe, expect, it } from 'vitest';
import { storeRefusal, type MailboxStoreClient } from '../mailbox/mailbox-store-client';
import { noMetrics } from '../metrics';
import type { CommandContext, CommandOf } from '../session/command-context';
import { NoticeChangeFeed } from '../session/mailbox-change-feed';
import { SelectedMailboxGoneError } from '../session/mailbox-sync';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { idle } from './idle';

type Ask = Parameters<MailboxStoreClient['folderChanges']>[0];
type Reply = Awaited<ReturnType<MailboxStoreClient['folderChanges']>>;

const NOTICE = { user: 'bob@example.test', folder: 'INBOX' };
const IDLE = { tag: 'i1', kind: 'IDLE' } as CommandOf<'IDLE'>;

/** Lets every pending promise continuation run (no timer involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** messages.changes held until the test answers each request. */
function heldStore() {
  const asked: { ask: Ask; answer: (reply: Reply) => void; refuse: (error: unknown) => void }[] = [];
  const store = { folderChanges: (ask: Ask) => new Promise<Reply>((answer, refuse) => asked.push({ ask, answer, refuse })) } as unknown as MailboxStoreClient;
  return { store, asked };
}

const reply = (highestModseq: number, changed: Reply['changed']): Reply => ({ uidValidity: 7, uidNext: 13, highestModseq, specialUse: null, changed, more: false, vanished: [] });

/** A session with UIDs 3 5 9 of bob's INBOX selected (taken in up to modseq 40) and watched as select.ts watches it; `done()` sends DONE. */
function idleSession(feed: NoticeChangeFeed, store: MailboxStoreClient) {
  const session = newSessionState('s', '127.0.0.1', 1, '127.0.0.1');
  const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 9], 10, 40);
  const unwatch = feed.watch(NOTICE.user, NOTICE.folder, () => {
    session.changesPending = true;
    session.onChange?.();
  });
  session.protocol = { kind: 'selected', user: NOTICE.user, mailbox, unwatch };
  const written: string[] = [];
  let inputArrived: (() => void) | undefined;
  let event: CommandReaderEvent | undefined;
  const channel = {
    write: async (data: string | Uint8Array) => void written.push(String(data)),
    setReaderMode: () => undefined,
    waitForInput: () => new Promise<void>((resolve) => (inputArrived = resolve)),
    takeEvent: () => event,
  };
  const ctx = { session, store, changes: feed, channel, metrics: noMetrics } as unknown as CommandContext;
  const done = () => {
    event = { kind: 'command', command: { lines: [Buffer.from('DONE')], literals: [] } };
    inputArrived?.();
  };
  return { running: idle(ctx, IDLE), written, done, session };
}

describe('idle', () => {
  it('asks messages.changes once for all the sessions one notice woke', async () => {
    const feed = new NoticeChangeFeed();
    const { store, asked } = heldStore();
    const sessions = [idleSession(feed, store), idleSession(feed, store), idleSession(feed, store)];
    await settle();
    feed.deliver(NOTICE);
    await settle();
    expect(asked.map((a) => a.ask)).toEqual([{ user: NOTICE.user, folder: 'INBOX', since: 40, afterUid: 0, limit: 10_000 }]);
    asked[0]?.answer(reply(41, [{ uid: 12, flags: [], modseq: 41 }]));
    await settle();
    for (const { written, done } of sessions) {
      expect(written).toEqual(['+ idling\r\n', '* 4 EXISTS\r\n']);
      done();
    }
    for (const { running } of sessions) expect(await running).toEqual({ text: 'IDLE terminated' });
  });

  it('reads again for a notice that came while the changes were read (RFC 2177: every change while idling is reported)', async () => {
    const feed = new NoticeChangeFeed();
    const { store, asked } = heldStore();
    const { running, written, done } = idleSession(feed, store);
    await settle();
    feed.deliver(NOTICE);
    await settle();
    feed.deliver(NOTICE);
    asked[0]?.answer(reply(41, [{ uid: 5, flags: ['\\Seen'], modseq: 41 }]));
    await settle();
    expect(asked.map((a) => a.ask.since)).toEqual([40, 41]);
    asked[1]?.answer(reply(42, [{ uid: 9, flags: ['\\Flagged'], modseq: 42 }]));
    await settle();
    expect(written).toEqual(['+ idling\r\n', '* 2 FETCH (UID 5 FLAGS (\\Seen))\r\n', '* 3 FETCH (UID 9 FLAGS (\\Flagged))\r\n']);
    done();
    expect(await running).toEqual({ text: 'IDLE terminated' });
  });

  it('ends every session the notice woke with BYE when their folder was deleted or renamed (RFC 2180 §3.3)', async () => {
    const feed = new NoticeChangeFeed();
    const { store, asked } = heldStore();
    const sessions = [idleSession(feed, store), idleSession(feed, store)];
    await settle();
    // mailbox-store's notice of the DELETE (or of the RENAME, under the old name)
    feed.deliver(NOTICE);
    await settle();
    expect(asked).toHaveLength(1);
    asked[0]?.refuse(storeRefusal('read the changes', new RemoteError('unknown-folder', 'no folder INBOX')));
    for (const { running, written, session } of sessions) {
      await expect(running).rejects.toBeInstanceOf(SelectedMailboxGoneError);
      await expect(running).rejects.toMatchObject({ status: 'BYE', tag: undefined });
      expect(written).toEqual(['+ idling\r\n']);
      expect(session.onChange).toBeUndefined();
    }
  });
});
