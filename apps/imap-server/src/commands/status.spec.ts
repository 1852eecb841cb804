// Tests of status.ts: the folder looked up by a checked name (INBOX in any case), NONEXISTENT for a missing one and for a name no folder can have.
import { describe, expect, it } from 'vitest';
import type { FolderListing } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { newSessionState } from '../session/session-state';
import { status } from './status';

const listing = (name: string): FolderListing => ({
  name,
  specialUse: null,
  subscribed: true,
  hasChildren: false,
  uidValidity: 7,
  uidNext: 4,
  highestModseq: 9,
  counts: { messages: 3, unseen: 1, deleted: 0, size: 300 },
});

function context(folders: string[]) {
  const written: string[] = [];
  const asked: unknown[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'authenticated', user: 'bob@example.test' };
  const store: Pick<MailboxStoreClient, 'listFolders'> = {
    listFolders: async (ask) => {
      asked.push(ask.names);
      return { folders: folders.filter((name) => ask.names?.some((n) => n.toUpperCase() === name.toUpperCase())).map(listing), orphanSubscriptions: [] };
    },
  };
  const ctx = { session, store, channel: { write: async (data: string | Uint8Array) => void written.push(String(data)) } } as unknown as CommandContext;
  return { ctx, written, asked };
}

const refusalOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'not refused',
    (error: unknown) => (error instanceof ImapResponseError ? error.message : String(error)),
  );

describe('status', () => {
  it('answers the counts of an existing folder, INBOX in any case', async () => {
    const { ctx, written } = context(['inbox', 'Work']);
    await status(ctx, { tag: 'a', kind: 'STATUS', mailbox: 'INBOX', items: ['MESSAGES', 'UNSEEN'] });
    expect(written).toEqual(['* STATUS INBOX (MESSAGES 3 UNSEEN 1)\r\n']);
  });

  it('refuses a folder that does not exist with NONEXISTENT', async () => {
    const { ctx } = context(['INBOX']);
    expect(await refusalOf(status(ctx, { tag: 'a', kind: 'STATUS', mailbox: 'Nowhere', items: ['MESSAGES'] }))).toBe('NO [NONEXISTENT] No such mailbox');
  });

  it('refuses a name no folder can have with NONEXISTENT naming the rule, without asking mailbox-store', async () => {
    const { ctx, asked } = context(['INBOX']);
    expect(await refusalOf(status(ctx, { tag: 'a', kind: 'STATUS', mailbox: 'a//b', items: ['MESSAGES'] }))).toBe(
      'NO [NONEXISTENT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)',
    );
    expect(await refusalOf(status(ctx, { tag: 'a', kind: 'STATUS', mailbox: 'tab\there', items: ['MESSAGES'] }))).toBe(
      'NO [NONEXISTENT] No mailbox can have this name: a folder name has no control characters and no wildcard (* %)',
    );
    expect(asked).toEqual([]);
  });
});
