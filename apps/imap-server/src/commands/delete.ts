/**
 * DELETE (RFC 9051 §6.3.5): mailbox-store removes the folder and its
 * messages (the quota is released; the UIDVALIDITY of a folder created
 * later under the name is new, so no UID is reused) and leaves its inferior
 * names and its subscription in place. INBOX cannot be deleted (§6.3.5), nor
 * Junk, where delivery files spam: `NO [CANNOT]`; a name that is no folder:
 * `NO [NONEXISTENT]`.
 *
 * Deleting the mailbox this session has selected is allowed (RFC 2180 §3
 * leaves the choice to the server): the session leaves the selected state,
 * told so by `* OK [CLOSED]` (RFC 9051 §7.1) before the tagged OK. Other
 * sessions that have it selected (a RENAME's too) are ended with `* BYE`
 * (RFC 2180 §3.3): at once in IDLE, which hears the folder's change notice,
 * at their next command otherwise (mailbox-sync.ts).
 */
import { formatStatusResponse } from '@mail/imap';
import type { CommandContext, CommandHandler } from '../session/command-context';
import { deselect, userOf } from '../session/session-state';
import { existingFolderName } from './folder-name';

export const deleteMailbox: CommandHandler<'DELETE'> = async (ctx, command) => {
  const user = userOf(ctx.session) as string;
  await ctx.store.deleteFolder({ user, name: existingFolderName(command.mailbox) });
  await closeIfSelected(ctx, [command.mailbox], 'The selected mailbox was deleted');
  return { text: 'DELETE completed' };
};

/** Leaves the selected state when the selected mailbox is one of `names` (no longer there under its name), with `* OK [CLOSED] why`. */
export async function closeIfSelected(ctx: CommandContext, names: readonly string[], why: string): Promise<void> {
  const state = ctx.session.protocol;
  if (state.kind !== 'selected' || !names.includes(state.mailbox.name)) return;
  deselect(ctx.session);
  await ctx.channel.write(formatStatusResponse({ status: 'OK', code: 'CLOSED', text: why }));
}
