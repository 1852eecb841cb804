/**
 * LIST (RFC 9051 §6.3.9, with RFC 5258 selection and return options,
 * RFC 6154 special-use attributes and RFC 5819 LIST-STATUS) and LSUB (RFC
 * 3501 §6.3.9, for IMAP4rev1 clients). mailbox-store lists every folder of
 * the user once; patterns are matched here (@mail/imap listPatternMatcher,
 * `/` as the hierarchy delimiter), so no name of a LIST reaches the store's
 * contract: a reference or pattern no folder can match is no error, only no
 * entries.
 */
import { FOLDER_DELIMITER, FolderName, type FolderListing } from '@mail/contracts';
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
  const matchers = command.patterns.map((pattern) => folderMatcher(command.reference, pattern));
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

/** The most characters a folder name has (the contract's FolderName). */
const FOLDER_NAME_MAX_LENGTH = FolderName.maxLength ?? Number.MAX_SAFE_INTEGER;

/**
 * Which folder names a reference and pattern match (RFC 9051 §6.3.9). Any
 * reference and pattern is valid (a name no folder can have simply matches
 * none: OK with no entries); one that holds more characters besides the
 * wildcards than a folder name can have matches none, and is not matched
 * against every folder (a line of 64 KiB against 500 characters each).
 */
export function folderMatcher(reference: string, pattern: string): (name: string) => boolean {
  if ((reference + pattern).replace(/[*%]/g, '').length > FOLDER_NAME_MAX_LENGTH) return () => false;
  return listPatternMatcher(reference, pattern, FOLDER_DELIMITER);
}

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
  const match = folderMatcher(command.reference, command.pattern);
  const wire = wireOptions(ctx.session);
  for (const folder of reply.folders) {
    if (folder.subscribed && match(folder.name)) await ctx.channel.write(formatListEntry({ attributes: [], delimiter: FOLDER_DELIMITER, name: folder.name }, wire, 'LSUB'));
  }
  return { text: 'LSUB completed' };
};
