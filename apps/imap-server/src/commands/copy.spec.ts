// Tests of copy.ts: the destination's name checked before mailbox-store is asked — TRYCREATE for a folder that could be created, NONEXISTENT for a name none can have.
import { describe, expect, it } from 'vitest';
import { CommandReader, ImapResponseError, parseCommand, type ImapCommand } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext, CommandOf } from '../session/command-context';
import { SelectedMailbox } from '../session/selected-mailbox';
import { newSessionState } from '../session/session-state';
import { copy } from './copy';

/** A command as a client sends it. */
function command(wire: string): ImapCommand {
  const [event] = new CommandReader().push(Buffer.from(`${wire}\r\n`));
  if (event?.kind !== 'command') throw new Error(`not one command: ${wire}`);
  return parseCommand(event.command, { utf8: true, delimiter: '/' });
}

function context(folders: string[]) {
  const asked: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = { kind: 'selected', user: 'bob@example.test', mailbox: new SelectedMailbox({ name: 'INBOX', readOnly: false, uidValidity: 7 }, [1, 2], 3, 5), unwatch: () => undefined };
  const store: Pick<MailboxStoreClient, 'copyMessages'> = {
    copyMessages: async (ask) => {
      asked.push(ask.to);
      if (!folders.includes(ask.to)) throw new ImapResponseError('NO', 'No such mailbox', { code: 'NONEXISTENT', userFault: true });
      return { uidValidity: 9, copied: [{ from: 1, to: 11 }], highestModseq: 6 };
    },
  };
  const ctx = { session, store, channel: { write: async () => undefined } } as unknown as CommandContext;
  return { ctx, asked };
}

const run = (ctx: CommandContext, wire: string): Promise<string> =>
  copy(ctx, command(wire) as CommandOf<'COPY'>).then(
    (done) => `OK ${done.text}`,
    (error: unknown) => (error instanceof ImapResponseError ? error.message : String(error)),
  );

describe('copy', () => {
  it('copies to an existing folder with COPYUID', async () => {
    const { ctx } = context(['Archive']);
    expect(await run(ctx, 'a COPY 1 Archive')).toBe('OK COPY completed');
  });

  it('answers TRYCREATE for a destination that does not exist but could (RFC 9051 §6.4.7)', async () => {
    const { ctx } = context(['Archive']);
    expect(await run(ctx, 'a COPY 1 Nowhere')).toBe('NO [TRYCREATE] No such destination mailbox');
  });

  it('answers NONEXISTENT, naming the rule, for a destination no mailbox can have, without asking mailbox-store — even for no messages', async () => {
    const { ctx, asked } = context(['Archive']);
    expect(await run(ctx, 'a COPY 1 "a//b"')).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)');
    expect(await run(ctx, 'a MOVE 1 "Junk*"')).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name has no control characters and no wildcard (* %)');
    expect(await run(ctx, 'a UID COPY 99 ""')).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name is not empty');
    expect(await run(ctx, `a COPY 1 {501+}\r\n${'x'.repeat(501)}`)).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name has at most 500 characters');
    expect(asked).toEqual([]);
  });
});
