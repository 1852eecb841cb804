// Tests of mailbox-change-feed.ts: notices reach the sessions of their folder only; the sessions a notice woke share
// their identical messages.changes requests, and only requests sent after that notice.
import { describe, expect, it } from 'vitest';
import { NoticeChangeFeed, type FolderChangesSource } from './mailbox-change-feed';

describe('NoticeChangeFeed', () => {
  it('wakes the sessions of the changed folder, INBOX in any case, and no others', () => {
    const feed = new NoticeChangeFeed();
    const woken: string[] = [];
    feed.watch('bob@example.test', 'INBOX', () => woken.push('bob inbox'));
    feed.watch('bob@example.test', 'Junk', () => woken.push('bob junk'));
    feed.watch('alice@example.test', 'INBOX', () => woken.push('alice inbox'));
    feed.deliver({ user: 'Bob@example.test', folder: 'inbox' });
    expect(woken).toEqual(['bob inbox']);
  });

  it('forgets a session that stopped watching', () => {
    const feed = new NoticeChangeFeed();
    let calls = 0;
    const stop = feed.watch('bob@example.test', 'INBOX', () => calls++);
    stop();
    feed.deliver({ user: 'bob@example.test', folder: 'INBOX' });
    expect(calls).toBe(0);
    expect(feed.size).toBe(0);
  });
});

describe('NoticeChangeFeed user subscriptions', () => {
  it('hears a user’s notices from the first watched folder of the user to the last one left, once per user', () => {
    const subscribed: string[] = [];
    const stopped: string[] = [];
    const feed = new NoticeChangeFeed((user) => {
      subscribed.push(user);
      return { stop: () => stopped.push(user) };
    });
    const inbox = feed.watch('Bob@example.test', 'INBOX', () => undefined);
    const junk = feed.watch('bob@example.test', 'Junk', () => undefined);
    const alice = feed.watch('alice@example.test', 'INBOX', () => undefined);
    expect(subscribed).toEqual(['bob@example.test', 'alice@example.test']);
    expect(feed.usersHeard).toBe(2);
    inbox();
    inbox(); // a second stop of the same watch counts nothing
    expect(stopped).toEqual([]);
    junk();
    expect(stopped).toEqual(['bob@example.test']);
    alice();
    expect(stopped).toEqual(['bob@example.test', 'alice@example.test']);
    expect(feed.usersHeard).toBe(0);
    // Watching again subscribes again
    feed.watch('bob@example.test', 'INBOX', () => undefined);
    expect(subscribed).toEqual(['bob@example.test', 'alice@example.test', 'bob@example.test']);
  });
});

describe('NoticeChangeFeed.sharedChanges', () => {
  type Ask = Parameters<FolderChangesSource['folderChanges']>[0];
  type Reply = Awaited<ReturnType<FolderChangesSource['folderChanges']>>;

  /** A messages.changes whose answers the test releases one by one; each request is kept. */
  function heldStore() {
    const asked: { ask: Ask; answer: (reply: Reply) => void; fail: (error: Error) => void }[] = [];
    const store: FolderChangesSource = {
      folderChanges: (ask) => new Promise<Reply>((answer, fail) => asked.push({ ask, answer, fail })),
    };
    return { store, asked };
  }
  const reply = (highestModseq: number): Reply => ({ uidValidity: 7, uidNext: 10, highestModseq, specialUse: null, changed: [], more: false, vanished: [] });
  const ask = (since: number, more: Partial<Ask> = {}): Ask => ({ user: 'bob@example.test', folder: 'INBOX', since, afterUid: 0, limit: 100, ...more });
  const watching = (feed: NoticeChangeFeed, count: number) => {
    for (let i = 0; i < count; i++) feed.watch('bob@example.test', 'INBOX', () => undefined);
  };

  it('sends one request for the sessions asking the very same question while it is in flight, and forgets it once answered', async () => {
    const feed = new NoticeChangeFeed();
    watching(feed, 3);
    const { store, asked } = heldStore();
    const shared = feed.sharedChanges(store);
    const answers = [shared.folderChanges(ask(40)), shared.folderChanges(ask(40)), shared.folderChanges(ask(40))];
    expect(asked).toHaveLength(1);
    asked[0]?.answer(reply(41));
    expect(await Promise.all(answers)).toEqual([reply(41), reply(41), reply(41)]);
    expect(feed.requestsInFlight).toBe(0);
    // answered: the next question is a new request
    void shared.folderChanges(ask(40));
    expect(asked).toHaveLength(2);
  });

  it('never shares between different questions: another since, page, UID set, folder or user', () => {
    const feed = new NoticeChangeFeed();
    watching(feed, 1);
    feed.watch('alice@example.test', 'INBOX', () => undefined);
    const { store, asked } = heldStore();
    const shared = feed.sharedChanges(store);
    for (const question of [
      ask(40),
      ask(39),
      ask(40, { afterUid: 5 }),
      ask(40, { limit: 1 }),
      ask(40, { uids: [{ first: 1, last: 4 }] }),
      ask(40, { folder: 'Junk' }),
      ask(40, { user: 'alice@example.test' }),
    ])
      void shared.folderChanges(question);
    expect(asked).toHaveLength(7);
  });

  it('does not hand a session woken by a notice an answer requested before that notice', async () => {
    const feed = new NoticeChangeFeed();
    watching(feed, 2);
    const { store, asked } = heldStore();
    const shared = feed.sharedChanges(store);
    const before = shared.folderChanges(ask(40));
    feed.deliver({ user: 'bob@example.test', folder: 'INBOX' });
    const after = shared.folderChanges(ask(40));
    expect(asked).toHaveLength(2);
    asked[1]?.answer(reply(43));
    asked[0]?.answer(reply(42));
    expect([await before, await after]).toEqual([reply(42), reply(43)]);
    // the older request's answer did not drop the newer one from the map early
    expect(feed.requestsInFlight).toBe(0);
  });

  it('hands a failure to every session that shared the request, then asks anew', async () => {
    const feed = new NoticeChangeFeed();
    watching(feed, 2);
    const { store, asked } = heldStore();
    const shared = feed.sharedChanges(store);
    const answers = [shared.folderChanges(ask(40)), shared.folderChanges(ask(40))];
    asked[0]?.fail(new Error('no answer'));
    for (const answer of answers) await expect(answer).rejects.toThrow('no answer');
    void shared.folderChanges(ask(40));
    expect(asked).toHaveLength(2);
  });

  it('reads on its own for a folder no session watches', () => {
    const feed = new NoticeChangeFeed();
    const { store, asked } = heldStore();
    const shared = feed.sharedChanges(store);
    void shared.folderChanges(ask(40));
    void shared.folderChanges(ask(40));
    expect(asked).toHaveLength(2);
    expect(feed.requestsInFlight).toBe(0);
  });
});
