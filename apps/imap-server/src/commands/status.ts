/**
 * STATUS (RFC 9051 §6.3.11): a folder's counts without selecting it, from
 * messages.list with counts; HIGHESTMODSEQ (RFC 7162 §3.1.7) is a
 * CONDSTORE enabling command (§3.1).
 */
import { APPEND_MAX_OCTETS, type FolderListing } from '@mail/contracts';
import { formatStatus, ImapResponseError, type StatusItem, type StatusValues } from '@mail/imap';
import type { CommandContext, CommandHandler } from '../session/command-context';
import { enableCondstore } from '../session/condstore';
import { userOf, wireOptions } from '../session/session-state';
import { existingFolderName } from './folder-name';

/** The values of `items` for a folder listed with counts, in the order asked. */
export function statusValues(folder: FolderListing, items: readonly StatusItem[]): StatusValues {
  const counts = folder.counts ?? { messages: 0, unseen: 0, deleted: 0, size: 0 };
  const all: Record<StatusItem, number> = {
    MESSAGES: counts.messages,
    UIDNEXT: folder.uidNext,
    UIDVALIDITY: folder.uidValidity,
    UNSEEN: counts.unseen,
    DELETED: counts.deleted,
    SIZE: counts.size,
    // RFC 9051 §6.3.11: RECENT is IMAP4rev1 only; no message is \Recent here
    RECENT: 0,
    HIGHESTMODSEQ: folder.highestModseq,
    APPENDLIMIT: APPEND_MAX_OCTETS,
  };
  return Object.fromEntries(items.map((item) => [item, all[item]]));
}

/**
 * The folder listed under `name` (checked first: folder-name.ts), INBOX in
 * any case, with its counts when asked; undefined when the user has none.
 */
export async function listedFolder(ctx: CommandContext, name: string, counts: boolean): Promise<FolderListing | undefined> {
  const reply = await ctx.store.listFolders({ user: userOf(ctx.session) as string, names: [existingFolderName(name)], counts });
  return reply.folders.find((f) => f.name === name || (name === 'INBOX' && f.name.toUpperCase() === 'INBOX'));
}

export const status: CommandHandler<'STATUS'> = async (ctx, command) => {
  if (command.items.includes('HIGHESTMODSEQ')) await enableCondstore(ctx);
  const folder = await listedFolder(ctx, command.mailbox, true);
  if (folder === undefined) throw new ImapResponseError('NO', 'No such mailbox', { code: 'NONEXISTENT', userFault: true });
  await ctx.channel.write(formatStatus(command.mailbox, statusValues(folder, command.items), wireOptions(ctx.session)));
  return { text: 'STATUS completed' };
};
