// Tests of mailbox-change-feed.ts: notices reach the sessions of their folder only.
import { describe, expect, it } from 'vitest';
import { NoticeChangeFeed } from './mailbox-change-feed';

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
