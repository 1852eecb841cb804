// Tests of delete.ts: deleting the selected folder takes the session out of the selected state.
import { describe, expect, it } from 'vitest';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { deleteMailbox } from './delete';

function sessionWith(selected: string) {
  const written: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'selected', user: 'bob@example.test', mailbox: new SelectedMailbox({ name: selected, readOnly: false, uidValidity: 7 }, [1], 2, 5), unwatch: () => undefined };
  const store: Pick<MailboxStoreClient, 'deleteFolder'> = { deleteFolder: async () => ({ deletedMessages: 1 }) };
  const ctx = { session, store, channel: { write: async (data: string | Uint8Array) => void written.push(String(data)) } } as unknown as CommandContext;
  return { ctx, session, written };
}

describe('deleteMailbox', () => {
  it('leaves the selected state with CLOSED when the selected folder is deleted', async () => {
    const { ctx, session, written } = sessionWith('Work');
    expect(await deleteMailbox(ctx, { tag: 'a', kind: 'DELETE', mailbox: 'Work' })).toEqual({ text: 'DELETE completed' });
    expect(session.protocol.kind).toBe('authenticated');
    expect(written).toEqual(['* OK [CLOSED] The selected mailbox was deleted\r\n']);
  });

  it('leaves a session on another folder selected', async () => {
    const { ctx, session, written } = sessionWith('INBOX');
    await deleteMailbox(ctx, { tag: 'a', kind: 'DELETE', mailbox: 'Work' });
    expect(session.protocol.kind).toBe('selected');
    expect(written).toEqual([]);
  });
});
