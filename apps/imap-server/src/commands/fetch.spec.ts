// Tests of fetch.ts: which messages a non-PEEK FETCH marks \Seen with CHANGEDSINCE (RFC 7162 §3.1.4.1, RFC 9051
// §6.4.5), and the FLAGS a response carried noted in the mailbox — against a folder kept in memory.
import type { MessageFlags, MessageMeta } from '@mail/contracts';
import { parseCommand } from '@mail/imap';
import { describe, expect, it } from 'vitest';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext, CommandOf } from '../session/command-context';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { fetch } from './fetch';

const BODY = 'Subject: note\r\n\r\nHello.\r\n';

/** A session with UIDs 3 5 9 selected (taken in up to modseq 40) over a folder in memory; what it writes and what it stores are kept. */
function sessionOver(messages: MessageFlags[]) {
  const folder = new Map(messages.map((m) => [m.uid, { ...m, flags: [...m.flags] }]));
  let highestModseq = Math.max(...messages.map((m) => m.modseq));
  const stored: number[] = [];
  const batches: string[][] = [];
  const within = (uid: number, ranges: readonly { first: number; last: number }[] | undefined) => ranges === undefined || ranges.some((r) => uid >= r.first && uid <= r.last);
  const meta = (m: MessageFlags): MessageMeta => ({
    ...m,
    key: `k${m.uid}`,
    internalDate: '2026-01-02T03:04:05+00:00',
    size: BODY.length,
    summary: { from: null, to: null, subject: null, date: null, messageId: null },
  });
  const client: Partial<MailboxStoreClient> = {
    folderChanges: async (ask) => {
      const changed = [...folder.values()].filter((m) => m.modseq > ask.since && m.uid > ask.afterUid && within(m.uid, ask.uids));
      return { uidValidity: 7, uidNext: 10, highestModseq, specialUse: null, changed, more: false, vanished: [] };
    },
    storeFlags: async (ask) => {
      const answered: MessageFlags[] = [];
      for (const message of folder.values()) {
        if (!within(message.uid, ask.uids)) continue;
        stored.push(message.uid);
        if (!message.flags.includes('\\Seen')) {
          message.flags.push('\\Seen');
          message.modseq = ++highestModseq;
        }
        answered.push({ ...message });
      }
      return { highestModseq, messages: answered, failed: [] };
    },
    fetchMeta: async (ask) => ({ messages: [...folder.values()].filter((m) => within(m.uid, ask.uids) && m.modseq > (ask.changedSince ?? 0)).map(meta) }),
    readRange: async function* (_user: string, _key: string, start: number, end: number) {
      yield Buffer.from(BODY.slice(start, end));
    },
    readMessages: async (_user: string, keys: readonly string[]) => {
      batches.push([...keys]);
      return new Map(keys.map((key) => [key, Buffer.from(BODY)]));
    },
  };
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  const mailbox = new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [3, 5, 9], 10, 40);
  session.protocol = { kind: 'selected', user: 'bob@example.test', mailbox, unwatch: () => undefined };
  const written: string[] = [];
  const ctx = {
    session,
    store: client,
    channel: { write: async (data: string | Uint8Array) => void written.push(Buffer.from(data).toString()) },
    metrics: { fetchOctets: () => undefined },
  } as unknown as CommandContext;
  return { ctx, mailbox, folder, stored, batches, written: () => written.join('') };
}

const command = (line: string) => parseCommand({ lines: [Buffer.from(line)], literals: [] }, { utf8: false, delimiter: '/' }) as CommandOf<'FETCH'>;

describe('fetch', () => {
  const messages = [
    { uid: 3, flags: [], modseq: 30 },
    { uid: 5, flags: [], modseq: 42 },
    { uid: 9, flags: ['\\Seen'], modseq: 43 },
  ];

  it('sets \\Seen only on the messages CHANGEDSINCE returns (RFC 7162 §3.1.4.1, RFC 9051 §6.4.5)', async () => {
    const { ctx, folder, stored, written } = sessionOver(messages);
    expect(await fetch(ctx, command('a FETCH 1:3 (BODY[]) (CHANGEDSINCE 40)'))).toEqual({ text: 'FETCH completed' });
    expect(stored).toEqual([5, 9]);
    expect(folder.get(3)?.flags).toEqual([]);
    expect(written()).toBe(
      `* OK [HIGHESTMODSEQ 40] Highest\r\n` +
        `* 2 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (44) BODY[] {${BODY.length}}\r\n${BODY})\r\n` +
        `* 3 FETCH (UID 9 FLAGS (\\Seen) MODSEQ (43) BODY[] {${BODY.length}}\r\n${BODY})\r\n`,
    );
  });

  it('sets nothing when CHANGEDSINCE keeps no message', async () => {
    const { ctx, stored, written } = sessionOver(messages);
    await fetch(ctx, command('a UID FETCH 1:* (BODY[TEXT]) (CHANGEDSINCE 43)'));
    expect(stored).toEqual([]);
    expect(written()).toBe('* OK [HIGHESTMODSEQ 40] Highest\r\n');
  });

  it('sets \\Seen on every named message without CHANGEDSINCE', async () => {
    const { ctx, stored } = sessionOver(messages);
    await fetch(ctx, command('a FETCH 1:3 (RFC822)'));
    expect(stored).toEqual([3, 5, 9]);
  });

  it('reads several small messages whole in one mailbox.fetch-many and writes them as streaming would (issue 18)', async () => {
    const { ctx, batches, written } = sessionOver(messages);
    await fetch(ctx, command('a UID FETCH 3:9 (BODY.PEEK[] BODY.PEEK[TEXT])'));
    expect(batches).toEqual([['k3', 'k5', 'k9']]);
    const text = BODY.slice(BODY.indexOf('\r\n\r\n') + 4);
    const response = (seq: number, uid: number) => `* ${seq} FETCH (UID ${uid} BODY[] {${BODY.length}}\r\n${BODY} BODY[TEXT] {${text.length}}\r\n${text})\r\n`;
    expect(written()).toBe(response(1, 3) + response(2, 5) + response(3, 9));
  });

  it('notes the flag states its responses carried, so synchronize does not repeat them', async () => {
    const { ctx, mailbox } = sessionOver(messages);
    await fetch(ctx, command('a FETCH 2:3 (FLAGS)'));
    expect([mailbox.wasReported({ uid: 5, modseq: 42 }), mailbox.wasReported({ uid: 9, modseq: 43 })]).toEqual([true, true]);
    expect(mailbox.wasReported({ uid: 5, modseq: 45 })).toBe(false);
  });
});
