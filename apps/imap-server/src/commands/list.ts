/**
 * LIST (RFC 9051 §6.3.9, with RFC 5258 selection and return options,
 * RFC 6154 special-use attributes and RFC 5819 LIST-STATUS) and LSUB (RFC
 * 3501 §6.3.9, for IMAP4rev1 clients). mailbox-store lists every folder of
 * the user once; patterns are matched here (@mail/imap listPatternMatcher,
 * `/` as the hierarchy delimiter).
 */
import { FOLDER_DELIMITER, type FolderListing } from '@mail/contracts';
import { formatListEntry, formatStatus, listPatternMatcher, type ListEntry } from '@mail/imap';
import type { CommandContext, CommandHandler, CommandOf } from '../session/command-context';
import { userOf, wireOptions } from '../session/session-state';
import { statusValues } from './status';

export const list: CommandHandler<'LIST'> = async (ctx, command) => {
  // RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root name
  if (command.patterns.length === 1 && command.patterns[0] === '') {
    await ctx.channel.write(formatListEntry({ attributes: ['\\Noselect'], delimiter: FOLDER_DELIMITER, name: '' }, wireOptions(ctx.session)));
    return { text: 'LIST completed' };
  }
  const user = userOf(ctx.session) as string;
  const reply = await ctx.store.listFolders({ user, counts: command.returns.status !== undefined });
  const matchers = command.patterns.map((pattern) => listPatternMatcher(command.reference, pattern, FOLDER_DELIMITER));
  const matches = (name: string): boolean => matchers.some((match) => match(name));
  const wire = wireOptions(ctx.session);
  for (const folder of reply.folders) {
    if (!matches(folder.name) || !selected(folder, command)) continue;
    await ctx.channel.write(formatListEntry(listEntry(folder, command), wire));
    // RFC 5819 §2: the STATUS of each listed mailbox follows its LIST line
    if (command.returns.status !== undefined) await ctx.channel.write(formatStatus(folder.name, statusValues(folder, command.returns.status), wire));
  }
  // RFC 5258 §3.1: subscribed names without a folder are listed \NonExistent
  if (command.selection.subscribed) {
    for (const name of reply.orphanSubscriptions) {
      if (matches(name)) await ctx.channel.write(formatListEntry({ attributes: ['\\NonExistent', '\\Subscribed'], delimiter: FOLDER_DELIMITER, name }, wire));
    }
  }
  return { text: 'LIST completed' };
};

function selected(folder: FolderListing, command: CommandOf<'LIST'>): boolean {
  if (command.selection.subscribed && !folder.subscribed) return false;
  return !command.selection.specialUse || folder.specialUse !== null;
}

function listEntry(folder: FolderListing, command: CommandOf<'LIST'>): ListEntry {
  const attributes = [folder.hasChildren ? '\\HasChildren' : '\\HasNoChildren'];
  if (folder.subscribed && (command.returns.subscribed || command.selection.subscribed)) attributes.push('\\Subscribed');
  // RFC 6154 §2: special-use attributes go out in every LIST (clients without the extension ignore them)
  if (folder.specialUse !== null) attributes.push(folder.specialUse);
  return { attributes, delimiter: FOLDER_DELIMITER, name: folder.name };
}

export const lsub: CommandHandler<'LSUB'> = async (ctx: CommandContext, command) => {
  const reply = await ctx.store.listFolders({ user: userOf(ctx.session) as string, counts: false });
  const match = listPatternMatcher(command.reference, command.pattern, FOLDER_DELIMITER);
  const wire = wireOptions(ctx.session);
  for (const folder of reply.folders) {
    if (folder.subscribed && match(folder.name)) await ctx.channel.write(formatListEntry({ attributes: [], delimiter: FOLDER_DELIMITER, name: folder.name }, wire, 'LSUB'));
  }
  return { text: 'LSUB completed' };
};
