// Tests of list.ts: patterns are matched here, so any reference and pattern is answered (no entries for a name no folder can have), and a pattern longer than any folder name is not matched at all.
import { describe, expect, it } from 'vitest';
import type { FolderListing } from '@mail/contracts';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { newSessionState } from '../session/session-state';
import { folderMatcher, list, lsub } from './list';

const listing = (name: string): FolderListing => ({ name, specialUse: null, subscribed: true, hasChildren: false, uidValidity: 1, uidNext: 1, highestModseq: 1 });

function context(folders: string[]) {
  const written: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'authenticated', user: 'bob@example.test' };
  const store: Pick<MailboxStoreClient, 'listFolders'> = { listFolders: async () => ({ folders: folders.map(listing), orphanSubscriptions: [] }) };
  const ctx = { session, store, channel: { write: async (data: string | Uint8Array) => void written.push(String(data)) } } as unknown as CommandContext;
  return { ctx, written };
}

const selection = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
const returns = { subscribed: false, children: false, specialUse: false };

describe('folderMatcher', () => {
  it('matches as the LIST pattern says, reference prefixed', () => {
    expect(folderMatcher('Work/', '%')('Work/2024')).toBe(true);
    expect(folderMatcher('Work/', '%')('Work/2024/Q1')).toBe(false);
    expect(folderMatcher('', 'a//b')('a//b')).toBe(true);
  });

  it('matches nothing for a pattern with more characters than a folder name has, wildcards aside', () => {
    const name = 'x'.repeat(500);
    expect(folderMatcher('', `%${'x'.repeat(500)}*`)(name)).toBe(true);
    expect(folderMatcher('x', `%${'x'.repeat(500)}*`)(name)).toBe(false);
  });
});

describe('list and lsub', () => {
  it('answer OK with no entries for a reference or pattern no folder can match', async () => {
    const { ctx, written } = context(['INBOX', 'Work']);
    expect(await list(ctx, { tag: 'a', kind: 'LIST', reference: 'a//b', patterns: ['*'], selection, returns, extended: false })).toEqual({ text: 'LIST completed' });
    expect(await lsub(ctx, { tag: 'a', kind: 'LSUB', reference: '', pattern: 'tab\there' })).toEqual({ text: 'LSUB completed' });
    expect(written).toEqual([]);
  });

  // Without the bounds each pattern costs 60,000 x 500 steps per folder: seconds of one core, past the test's timeout
  it('answer patterns of a whole command line against long names at once: too many characters match nothing, a run of wildcards is one', async () => {
    const folders = Array.from({ length: 50 }, (_, i) => `${'f'.repeat(490)}${i}`);
    const { ctx, written } = context(folders);
    await list(ctx, { tag: 'a', kind: 'LIST', reference: '', patterns: ['%f'.repeat(30_000), '%'.repeat(60_000)], selection, returns, extended: false });
    expect(written).toHaveLength(50);
  });
});
