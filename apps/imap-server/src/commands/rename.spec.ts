// Tests of rename.ts: what renaming a folder does to the session that has it, or INBOX, selected.
import { describe, expect, it } from 'vitest';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { rename } from './rename';

/** A context whose session has `selected` open, with a store that renames as told; what the session writes is kept. */
function sessionWith(selected: string, renamed: { from: string; to: string }[] = []) {
  const written: string[] = [];
  let unwatched = 0;
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'selected', user: 'bob@example.test', mailbox: new SelectedMailbox({ name: selected, readOnly: false, uidValidity: 7 }, [1, 2], 3, 10), unwatch: () => unwatched++ };
  const store: Pick<MailboxStoreClient, 'renameFolder'> = { renameFolder: async () => ({ renamed }) };
  const ctx = { session, store, channel: { write: async (data: string | Uint8Array) => void written.push(String(data)) } } as unknown as CommandContext;
  return { ctx, session, written, unwatched: () => unwatched };
}

describe('rename', () => {
  it('leaves the selected state with CLOSED when the selected folder, or a superior of it, is renamed', async () => {
    const { ctx, session, written, unwatched } = sessionWith('Work/2024', [
      { from: 'Work', to: 'Old' },
      { from: 'Work/2024', to: 'Old/2024' },
    ]);
    expect(await rename(ctx, { tag: 'a', kind: 'RENAME', from: 'Work', to: 'Old' })).toEqual({ text: 'RENAME completed' });
    expect(session.protocol.kind).toBe('authenticated');
    expect(unwatched()).toBe(1);
    expect(written).toEqual(['* OK [CLOSED] The selected mailbox was renamed\r\n']);
  });

  it('keeps INBOX selected when INBOX is renamed, and has the EXPUNGEs reported before the tagged OK', async () => {
    const { ctx, session, written } = sessionWith('INBOX', [{ from: 'INBOX', to: 'Old mail' }]);
    await rename(ctx, { tag: 'a', kind: 'RENAME', from: 'INBOX', to: 'Old mail' });
    expect(session.protocol.kind).toBe('selected');
    expect(session.changesPending).toBe(true);
    expect(written).toEqual([]);
  });

  it('leaves a session on another folder alone', async () => {
    const { ctx, session, written } = sessionWith('Junk', [{ from: 'Work', to: 'Old' }]);
    await rename(ctx, { tag: 'a', kind: 'RENAME', from: 'Work', to: 'Old' });
    expect(session.protocol.kind).toBe('selected');
    expect(session.changesPending).toBe(false);
    expect(written).toEqual([]);
  });
});
