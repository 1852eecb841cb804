// Tests of continuation-gate.ts: which commands are refused before their synchronizing literal's `+`, from the command read so far.
import { describe, expect, it } from 'vitest';
import { CommandReader, ImapResponseError, type RawCommand } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { CommandContext } from './command-context';
import { continuationRefusal } from './continuation-gate';
import { newSessionState, type ProtocolState } from './session-state';

/** The command so far of the first 'continue' event the reader gives for `wire`. */
function soFar(wire: string): RawCommand {
  const event = new CommandReader({}, { decideContinuations: true }).push(Buffer.from(wire)).find((e) => e.kind === 'continue');
  if (event?.kind !== 'continue') throw new Error(`no continuation for ${wire}`);
  return event.command;
}

function context(protocol: ProtocolState, folders: string[] = ['INBOX']) {
  const asked: string[] = [];
  const session = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  session.protocol = protocol;
  const store: Pick<MailboxStoreClient, 'listFolders'> = {
    listFolders: async (ask) => {
      asked.push(...(ask.names ?? []));
      const names = folders.filter((name) => ask.names?.includes(name));
      return { folders: names.map((name) => ({ name, specialUse: null, subscribed: false, hasChildren: false, uidValidity: 7, uidNext: 1, highestModseq: 1 })), orphanSubscriptions: [] };
    },
  };
  return { ctx: { session, store } as unknown as CommandContext, asked };
}

async function decision(ctx: CommandContext, wire: string): Promise<string> {
  const refusal = await continuationRefusal(ctx, soFar(wire));
  if (refusal === undefined) return '+';
  const error = refusal.error as ImapResponseError;
  return `${refusal.command.kind} ${error.message}`;
}

const authenticated: ProtocolState = { kind: 'authenticated', user: 'bob@example.test' };

describe('continuationRefusal', () => {
  it('refuses a command the state does not allow, before its literal: APPEND before login', async () => {
    const { ctx, asked } = context({ kind: 'not-authenticated' });
    expect(await decision(ctx, 'a APPEND INBOX {5}\r\n')).toBe('APPEND BAD APPEND not valid now: log in first');
    expect(await decision(ctx, 'a SELECT {5}\r\n')).toBe('SELECT BAD SELECT not valid now: log in first');
    expect(asked).toEqual([]);
  });

  it('lets a command through whose literal is not its last argument, and one that does not parse (answered once whole)', async () => {
    const { ctx } = context({ kind: 'not-authenticated' });
    expect(await decision(ctx, 'a LOGIN {3}\r\n')).toBe('+');
    expect(await decision(ctx, 'a APPEND INBOX ((( {5}\r\n')).toBe('+');
  });

  it('refuses an APPEND that cannot store its message: a folder that does not exist (TRYCREATE), a name none can have, a second message', async () => {
    const { ctx, asked } = context(authenticated, ['INBOX', 'Drafts']);
    expect(await decision(ctx, 'a APPEND Drafts (\\Draft) {5}\r\n')).toBe('+');
    expect(await decision(ctx, 'a APPEND inbox {5}\r\n')).toBe('+');
    expect(await decision(ctx, 'a APPEND Nowhere {5}\r\n')).toBe('APPEND NO [TRYCREATE] No such mailbox');
    expect(await decision(ctx, 'a APPEND "Drafts/" {5}\r\n')).toBe('APPEND NO [TRYCREATE] No such mailbox');
    expect(await decision(ctx, 'a APPEND "a//b" {5}\r\n')).toBe('APPEND NO [NONEXISTENT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)');
    expect(await decision(ctx, 'a APPEND INBOX {5+}\r\nhello {5}\r\n')).toBe('APPEND BAD One message per APPEND: MULTIAPPEND is not supported');
    expect(asked).toEqual(['Drafts', 'INBOX', 'Nowhere', 'Drafts/']);
  });

  it('lets other commands of the state through without asking mailbox-store', async () => {
    const { ctx, asked } = context(authenticated);
    expect(await decision(ctx, 'a CREATE {5}\r\n')).toBe('+');
    expect(await decision(ctx, 'a LOGIN bob {6}\r\n')).toBe('LOGIN BAD LOGIN not valid now: already authenticated');
    expect(asked).toEqual([]);
  });
});
