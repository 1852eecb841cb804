// Tests of append.ts: the request it makes, APPENDUID, TRYCREATE, one message per command, EXISTS for the selected mailbox.
import { describe, expect, it } from 'vitest';
import type { BodyReference } from '@mail/contracts';
import { ImapResponseError, parseDateTime, type AppendMessage } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from '../session/command-context';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { admitAppendMessage, append, isoTimestamp } from './append';

const inline: BodyReference = { bucket: 'b', key: 'k', size: 5, sha256: '0'.repeat(64), inline: 'aGVsbG8=' };

/** A logged-in session (with `selected` open, if given) and a store that appends into `folders`. */
function context(options: { selected?: string; folders?: string[] } = {}) {
  const asked: unknown[] = [];
  const deleted: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol =
    options.selected === undefined
      ? { kind: 'authenticated', user: 'bob@example.test' }
      : { kind: 'selected', user: 'bob@example.test', mailbox: new SelectedMailbox({ name: options.selected, readOnly: false, uidValidity: 7 }, [], 1, 1), unwatch: () => undefined };
  const store: Pick<MailboxStoreClient, 'appendMessage' | 'messageBody' | 'deleteMessageBody' | 'listFolders'> = {
    async listFolders(ask) {
      asked.push({ list: ask.names });
      const names = (options.folders ?? ['INBOX']).filter((name) => ask.names?.includes(name));
      return { folders: names.map((name) => ({ name, specialUse: null, subscribed: false, hasChildren: false, uidValidity: 7, uidNext: 1, highestModseq: 1 })), orphanSubscriptions: [] };
    },
    async messageBody() {
      return inline;
    },
    async appendMessage(ask) {
      asked.push(ask);
      if (!(options.folders ?? ['INBOX']).includes(ask.folder)) throw new ImapResponseError('NO', 'No such mailbox', { code: 'NONEXISTENT', userFault: true });
      return { uidValidity: 7, uid: 42, modseq: 3 };
    },
    async deleteMessageBody(ref) {
      deleted.push(ref.key);
    },
  };
  const uploads = { take: async () => undefined };
  const ctx = { session, store, uploads, log: { warn: () => undefined } } as unknown as CommandContext;
  return { ctx, session, asked, deleted };
}

const message = (overrides: Partial<AppendMessage> = {}): AppendMessage => ({ flags: [], content: Buffer.from('hello'), binary: false, ...overrides });

describe('append', () => {
  it('passes flags and the internal date with its zone, answers APPENDUID and drops the body afterwards', async () => {
    const { ctx, asked, deleted, session } = context();
    const internalDate = parseDateTime('17-Jul-1996 02:44:25 -0700');
    const done = await append(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'INBOX', messages: [message({ flags: ['\\Seen', '$Label1'], internalDate })] });
    expect(done).toEqual({ text: 'APPEND completed', code: { kind: 'APPENDUID', uidValidity: 7, uids: [42] } });
    expect(asked).toEqual([{ user: 'bob@example.test', folder: 'INBOX', content: inline, flags: ['\\Seen', '$Label1'], internalDate: '1996-07-17T02:44:25-07:00' }]);
    expect(deleted).toEqual(['k']);
    expect(session.changesPending).toBe(false);
  });

  it('answers TRYCREATE for a folder that does not exist (RFC 9051 §6.3.12), and still drops the body', async () => {
    const { ctx, deleted } = context();
    const refusal = await append(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'Nowhere', messages: [message()] }).catch((error: unknown) => error);
    expect((refusal as ImapResponseError).message).toBe('NO [TRYCREATE] No such mailbox');
    expect(deleted).toEqual(['k']);
  });

  it('refuses several messages (no MULTIAPPEND) and an unknown system flag before storing anything', async () => {
    const { ctx, asked } = context();
    const multi = await append(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'INBOX', messages: [message(), message()] }).catch((error: unknown) => error);
    expect((multi as ImapResponseError).message).toBe('BAD One message per APPEND: MULTIAPPEND is not supported');
    const flag = await append(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'INBOX', messages: [message({ flags: ['\\Bogus'] })] }).catch((error: unknown) => error);
    expect((flag as ImapResponseError).status).toBe('BAD');
    expect(asked).toEqual([]);
  });

  it('has the new message reported (EXISTS) when it went to the selected mailbox', async () => {
    const { ctx, session } = context({ selected: 'Drafts', folders: ['INBOX', 'Drafts'] });
    await append(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'INBOX', messages: [message()] });
    expect(session.changesPending).toBe(false);
    await append(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'Drafts', messages: [message()] });
    expect(session.changesPending).toBe(true);
  });
});

describe('admitAppendMessage (before the message is sent: RFC 9051 §2.2.1)', () => {
  const refusalOf = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => 'admitted',
      (error: unknown) => (error instanceof ImapResponseError ? error.message : String(error)),
    );
  const empty = message({ content: Buffer.alloc(0) });

  it('admits a message for an existing folder', async () => {
    const { ctx, asked } = context({ folders: ['INBOX', 'Drafts'] });
    expect(await refusalOf(admitAppendMessage(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'Drafts', messages: [empty] }))).toBe('admitted');
    expect(asked).toEqual([{ list: ['Drafts'] }]);
  });

  it('refuses what the handler would: TRYCREATE, a name no mailbox can have, several messages, bad flags — storing nothing', async () => {
    const { ctx, asked } = context();
    expect(await refusalOf(admitAppendMessage(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'Nowhere', messages: [empty] }))).toBe('NO [TRYCREATE] No such mailbox');
    expect(await refusalOf(admitAppendMessage(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'a//b', messages: [empty] }))).toBe(
      'NO [NONEXISTENT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)',
    );
    expect(await refusalOf(admitAppendMessage(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'INBOX', messages: [message(), empty] }))).toBe('BAD One message per APPEND: MULTIAPPEND is not supported');
    expect(await refusalOf(admitAppendMessage(ctx, { tag: 'a', kind: 'APPEND', mailbox: 'INBOX', messages: [message({ flags: ['\\Bogus'] })] }))).toBe('BAD Unknown system flag, or too many flags');
    expect(asked).toEqual([{ list: ['Nowhere'] }]);
  });
});

describe('isoTimestamp', () => {
  it('writes the instant in the zone it was given in', () => {
    expect(isoTimestamp(parseDateTime(' 1-Jan-2024 00:30:00 +0530'))).toBe('2024-01-01T00:30:00+05:30');
    expect(isoTimestamp(parseDateTime('31-Dec-2023 23:59:59 +0000'))).toBe('2023-12-31T23:59:59+00:00');
  });
});
