// Tests of select.ts: a name no mailbox can have is refused before mailbox-store is asked, after the previous mailbox was closed (RFC 9051 §6.3.2).
import { describe, expect, it } from 'vitest';
import { ImapResponseError } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { select } from './select';

function selectedSession() {
  const written: string[] = [];
  const asked: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'selected', user: 'bob@example.test', mailbox: new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [1], 2, 5), unwatch: () => undefined };
  const store: Pick<MailboxStoreClient, 'selectFolder'> = {
    selectFolder: async (ask) => {
      asked.push(ask.folder);
      throw new Error('not asked in these tests');
    },
  };
  const ctx = { session, store, channel: { write: async (data: string | Uint8Array) => void written.push(String(data)) } } as unknown as CommandContext;
  return { ctx, session, written, asked };
}

describe('select', () => {
  it.each([
    ['a//b', 'a folder name has no empty level (`//` or a leading `/`)'],
    ['', 'a folder name is not empty'],
    ['x'.repeat(501), 'a folder name has at most 500 characters'],
    ['Work*', 'a folder name has no control characters and no wildcard (* %)'],
  ])('refuses %j with NO [NONEXISTENT] naming the rule, without asking mailbox-store, leaving no mailbox selected', async (name, rule) => {
    const { ctx, session, written, asked } = selectedSession();
    const refusal = await select(ctx, { tag: 'a', kind: 'SELECT', mailbox: name, condstore: false }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ImapResponseError);
    expect((refusal as ImapResponseError).message).toBe(`NO [NONEXISTENT] No mailbox can have this name: ${rule}`);
    expect(asked).toEqual([]);
    expect(session.protocol.kind).toBe('authenticated');
    expect(written).toEqual(['* OK [CLOSED] Previous mailbox closed\r\n']);
  });
});
