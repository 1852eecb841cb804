// Tests of store.ts: the FETCH answers of STORE with CONDSTORE (RFC 7162 §3.1, §3.1.3) and MODIFIED, and the
// answered states noted so that synchronize does not echo them.
import type { StoreFlagsResponse } from '@mail/contracts';
import { parseSequenceSet } from '@mail/imap';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { store } from './store';

/** A session with UIDs 3 5 9 selected, whose store answers `reply`; what the session writes is kept. */
function sessionWith(reply: z.infer<typeof StoreFlagsResponse>, enabled: string[] = []) {
  const written: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  for (const name of enabled) session.enabled.add(name);
  session.protocol = { kind: 'selected', user: 'bob@example.test', mailbox: new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 9], 10, 40), unwatch: () => undefined };
  const asked: unknown[] = [];
  const client: Pick<MailboxStoreClient, 'storeFlags'> = {
    storeFlags: async (ask) => {
      asked.push(ask);
      return reply;
    },
  };
  const ctx = { session, store: client, channel: { write: async (data: string | Uint8Array) => void written.push(String(data)) } } as unknown as CommandContext;
  return { ctx, session, written, asked };
}

const operation = (silent: boolean) => ({ action: 'add', silent, flags: ['\\Seen'] }) as const;

describe('store', () => {
  it('answers FLAGS without MODSEQ before CONDSTORE is on', async () => {
    const { ctx, written } = sessionWith({ highestModseq: 41, messages: [{ uid: 5, flags: ['\\Seen'], modseq: 41 }], failed: [] });
    expect(await store(ctx, { tag: 'a', kind: 'STORE', uid: false, sequenceSet: parseSequenceSet('2'), operation: operation(false) })).toEqual({ text: 'STORE completed' });
    expect(written).toEqual(['* 2 FETCH (UID 5 FLAGS (\\Seen))\r\n']);
  });

  it('turns CONDSTORE on with UNCHANGEDSINCE: HIGHESTMODSEQ once, MODSEQ in the answers, MODIFIED for the others (RFC 7162 §3.1.3)', async () => {
    const { ctx, session, written, asked } = sessionWith({ highestModseq: 41, messages: [{ uid: 5, flags: ['\\Seen'], modseq: 41 }], failed: [9] });
    const completion = await store(ctx, { tag: 'a', kind: 'STORE', uid: false, sequenceSet: parseSequenceSet('2:3'), unchangedSince: 40n, operation: operation(false) });
    expect(completion).toEqual({ text: 'Some messages were modified meanwhile', code: { kind: 'MODIFIED', numbers: [3] } });
    expect(written).toEqual(['* OK [HIGHESTMODSEQ 40] Highest\r\n', '* 2 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (41))\r\n']);
    expect(asked).toEqual([
      expect.objectContaining({
        unchangedSince: 40,
        uids: [
          { first: 5, last: 5 },
          { first: 9, last: 9 },
        ],
      }),
    ]);
    expect(session.enabled.has('CONDSTORE')).toBe(true);
  });

  it('still answers each message with its MODSEQ for .SILENT with UNCHANGEDSINCE, and names UIDs in MODIFIED for UID STORE', async () => {
    const { ctx, written } = sessionWith({ highestModseq: 41, messages: [{ uid: 5, flags: ['\\Seen'], modseq: 41 }], failed: [9] }, ['CONDSTORE']);
    const completion = await store(ctx, { tag: 'a', kind: 'STORE', uid: true, sequenceSet: parseSequenceSet('5,9'), unchangedSince: 40n, operation: operation(true) });
    expect(completion.code).toEqual({ kind: 'MODIFIED', numbers: [9] });
    expect(written).toEqual(['* 2 FETCH (UID 5 MODSEQ (41))\r\n']);
  });

  it('notes the state it answered with FLAGS in the mailbox, so the change notice of its own STORE is not echoed', async () => {
    const { ctx, session } = sessionWith({ highestModseq: 41, messages: [{ uid: 5, flags: ['\\Seen'], modseq: 41 }], failed: [] });
    await store(ctx, { tag: 'a', kind: 'STORE', uid: false, sequenceSet: parseSequenceSet('2'), operation: operation(false) });
    const { mailbox } = session.protocol as { mailbox: SelectedMailbox };
    expect(mailbox.wasReported({ uid: 5, modseq: 41 })).toBe(true);
    // a change by anyone after it has a higher modseq, and is reported
    expect(mailbox.wasReported({ uid: 5, modseq: 42 })).toBe(false);
  });

  it('notes nothing after .SILENT: the client has not seen the resulting flags, which may hold another session’s change', async () => {
    const { ctx, session } = sessionWith({ highestModseq: 41, messages: [{ uid: 5, flags: ['\\Seen', '\\Flagged'], modseq: 41 }], failed: [] }, ['CONDSTORE']);
    await store(ctx, { tag: 'a', kind: 'STORE', uid: false, sequenceSet: parseSequenceSet('2'), unchangedSince: 40n, operation: operation(true) });
    const { mailbox } = session.protocol as { mailbox: SelectedMailbox };
    expect(mailbox.wasReported({ uid: 5, modseq: 41 })).toBe(false);
  });

  it('stays silent for .SILENT without UNCHANGEDSINCE', async () => {
    const { ctx, written } = sessionWith({ highestModseq: 41, messages: [{ uid: 5, flags: ['\\Seen'], modseq: 41 }], failed: [] }, ['CONDSTORE']);
    await store(ctx, { tag: 'a', kind: 'STORE', uid: false, sequenceSet: parseSequenceSet('2'), operation: operation(true) });
    expect(written).toEqual([]);
  });
});
