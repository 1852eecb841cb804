// Tests of quota.ts: GETQUOTAROOT of an existing mailbox names the one root; of a missing one, or a name no mailbox can have, NO [NONEXISTENT] (RFC 9208 §4.3).
import { describe, expect, it } from 'vitest';
import type { FolderListing } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { newSessionState } from '../session/session-state';
import { getQuotaRoot } from './quota';

const listing = (name: string): FolderListing => ({ name, specialUse: null, subscribed: false, hasChildren: false, uidValidity: 1, uidNext: 1, highestModseq: 1 });

function context(folders: string[]) {
  const written: string[] = [];
  const asked: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'authenticated', user: 'bob@example.test' };
  const store: Pick<MailboxStoreClient, 'listFolders' | 'quota'> = {
    listFolders: async (ask) => {
      asked.push('list');
      return { folders: folders.filter((name) => ask.names?.includes(name)).map(listing), orphanSubscriptions: [] };
    },
    quota: async () => {
      asked.push('quota');
      return { usedOctets: 2048, limitOctets: 10_240, messages: 2 };
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

describe('getQuotaRoot', () => {
  it('names the user root and its quota for an existing mailbox', async () => {
    const { ctx, written } = context(['INBOX', 'Work']);
    expect(await getQuotaRoot(ctx, { tag: 'a', kind: 'GETQUOTAROOT', mailbox: 'Work' })).toEqual({ text: 'GETQUOTAROOT completed' });
    expect(written).toEqual(['* QUOTAROOT Work ""\r\n', '* QUOTA "" (STORAGE 2 10)\r\n']);
  });

  it('refuses a mailbox that does not exist, and a name no mailbox can have without asking mailbox-store', async () => {
    const { ctx, asked } = context(['INBOX']);
    expect(await refusalOf(getQuotaRoot(ctx, { tag: 'a', kind: 'GETQUOTAROOT', mailbox: 'Nowhere' }))).toBe('NO [NONEXISTENT] No such mailbox');
    expect(asked).toEqual(['list']);
    expect(await refusalOf(getQuotaRoot(ctx, { tag: 'a', kind: 'GETQUOTAROOT', mailbox: 'a%b' }))).toBe(
      'NO [NONEXISTENT] No mailbox can have this name: a folder name has no control characters and no wildcard (* %)',
    );
    expect(asked).toEqual(['list']);
  });
});
