// Tests of subscribe.ts: any name a folder can have is subscribed (it need not exist: RFC 9051 §6.3.7); one no folder can have is NO [CANNOT] naming the rule.
import { describe, expect, it } from 'vitest';
import { ImapResponseError } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { newSessionState } from '../session/session-state';
import { subscribe } from './subscribe';

function context() {
  const asked: unknown[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'authenticated', user: 'bob@example.test' };
  const store: Pick<MailboxStoreClient, 'subscribeFolder'> = {
    subscribeFolder: async (ask) => {
      asked.push(ask);
      return { changed: true };
    },
  };
  return { ctx: { session, store } as unknown as CommandContext, asked };
}

describe('subscribe', () => {
  it('subscribes and unsubscribes names with or without a folder', async () => {
    const { ctx, asked } = context();
    expect(await subscribe(ctx, { tag: 'a', kind: 'SUBSCRIBE', mailbox: 'Later/Maybe' })).toEqual({ text: 'SUBSCRIBE completed' });
    expect(await subscribe(ctx, { tag: 'a', kind: 'UNSUBSCRIBE', mailbox: 'Later/Maybe' })).toEqual({ text: 'UNSUBSCRIBE completed' });
    expect(asked).toEqual([
      { user: 'bob@example.test', name: 'Later/Maybe', subscribed: true },
      { user: 'bob@example.test', name: 'Later/Maybe', subscribed: false },
    ]);
  });

  it('refuses a name no folder can have with CANNOT naming the rule, without asking mailbox-store', async () => {
    const { ctx, asked } = context();
    for (const kind of ['SUBSCRIBE', 'UNSUBSCRIBE'] as const) {
      const refusal = await subscribe(ctx, { tag: 'a', kind, mailbox: '/News' }).catch((error: unknown) => error);
      expect((refusal as ImapResponseError).message).toBe('NO [CANNOT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)');
    }
    expect(asked).toEqual([]);
  });
});
