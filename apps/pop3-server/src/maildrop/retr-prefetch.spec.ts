// Tests of retr-prefetch.ts: which messages one prefetch asks for, and what happens when it fails or comes back short.
import { describe, expect, it } from 'vitest';
import { createLoggedInHarness } from '../test-support/command-harness';
import { Maildrop } from './maildrop';
import { PrefetchedMessages } from './prefetched-messages';
import { PREFETCH_BATCH_OCTETS, PREFETCH_MESSAGE_MAX_OCTETS, messagesToPrefetch, prefetchedMessage } from './retr-prefetch';

const entry = (n: number, size: number) => ({ uid: `u-${n}`, size, folder: 'INBOX', receivedAt: '2024-01-01T00:00:00Z' });

describe('messagesToPrefetch', () => {
  it('takes the asked message and the next small ones not marked as deleted', () => {
    const maildrop = new Maildrop([entry(1, 10), entry(2, 10), entry(3, PREFETCH_MESSAGE_MAX_OCTETS + 1), entry(4, 10), entry(5, 10)]);
    maildrop.markDeleted(4);
    expect(messagesToPrefetch(maildrop, maildrop.get(2)).map((m) => m.uid)).toEqual(['u-2', 'u-5']);
  });

  it('stops at the batch size', () => {
    const size = PREFETCH_MESSAGE_MAX_OCTETS;
    const count = PREFETCH_BATCH_OCTETS / size + 3;
    const maildrop = new Maildrop(Array.from({ length: count }, (_, i) => entry(i + 1, size)));
    const batch = messagesToPrefetch(maildrop, maildrop.get(1));
    expect(batch).toHaveLength(PREFETCH_BATCH_OCTETS / size);
    expect(batch.reduce((sum, m) => sum + m.size, 0)).toBeLessThanOrEqual(PREFETCH_BATCH_OCTETS);
  });
});

describe('prefetchedMessage', () => {
  async function setUp(bodies: string[]) {
    const harness = await createLoggedInHarness(bodies);
    const { maildrop, user } = harness.ctx.session;
    if (maildrop === undefined || user === undefined) throw new Error('not logged in');
    const ctx = { mailbox: harness.mailbox, log: harness.ctx.log, user, maildrop, prefetched: new PrefetchedMessages() };
    return { ...harness, ctx, maildrop };
  }

  it('fetches the asked message and the next ones in one request, then serves those from the cache', async () => {
    const { ctx, mailbox, maildrop } = await setUp(['one\r\n', 'two\r\n', 'three\r\n']);
    expect((await prefetchedMessage(ctx, maildrop.get(1)))?.toString()).toBe('one\r\n');
    expect((await prefetchedMessage(ctx, maildrop.get(2)))?.toString()).toBe('two\r\n');
    expect((await prefetchedMessage(ctx, maildrop.get(3)))?.toString()).toBe('three\r\n');
    expect(mailbox.prefetchRequests).toBe(1);
  });

  it('reads the next batch ahead once less than half a batch is left', async () => {
    const size = 40 * 1024;
    const perBatch = Math.floor(PREFETCH_BATCH_OCTETS / size);
    const bodies = Array.from({ length: 3 * perBatch }, (_, i) => `${String(i + 1).padEnd(size - 2, '.')}\r\n`);
    const { ctx, mailbox, maildrop } = await setUp(bodies);
    for (let n = 1; n <= bodies.length; n += 1) {
      expect((await prefetchedMessage(ctx, maildrop.get(n)))?.toString()).toBe(bodies[n - 1]);
      expect(ctx.prefetched.octets).toBeLessThanOrEqual(1.5 * PREFETCH_BATCH_OCTETS);
    }
    await ctx.prefetched.readAhead;
    expect(mailbox.prefetchRequests).toBe(3);
  });

  it('leaves the message to streaming when the request fails', async () => {
    const { ctx, mailbox, maildrop } = await setUp(['one\r\n']);
    mailbox.down = true;
    expect(await prefetchedMessage(ctx, maildrop.get(1))).toBeUndefined();
  });

  it('does not serve a copy whose size differs from the listing', async () => {
    const { ctx, mailbox, maildrop } = await setUp(['one\r\n', 'two\r\n']);
    const stored = mailbox.messages.get('bob@example.test');
    if (stored?.[1]) stored[1].body = Buffer.from('changed\r\n');
    expect((await prefetchedMessage(ctx, maildrop.get(1)))?.toString()).toBe('one\r\n');
    expect(ctx.prefetched.take('uid-2')).toBeUndefined();
  });
});
