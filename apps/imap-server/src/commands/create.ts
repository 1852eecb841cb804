/**
 * CREATE (RFC 9051 §6.3.4) with USE (RFC 6154 §3, CREATE-SPECIAL-USE).
 * mailbox-store creates the folder with any superior level it lacks
 * (`a/b/c` creates `a` and `a/b`, RFC 9051 §6.3.4 SHOULD) and drops a
 * trailing `/` (the client only declares it will create names under it).
 * INBOX in any case, or a name that exists: `NO [ALREADYEXISTS]`; a special
 * use another folder has, or one this server cannot give: `NO [USEATTR]`.
 */
import type { CommandHandler } from '../session/command-context';
import { userOf } from '../session/session-state';
import { newFolderName, specialUseOf } from './folder-name';

export const create: CommandHandler<'CREATE'> = async (ctx, command) => {
  const user = userOf(ctx.session) as string;
  const specialUse = specialUseOf(command.specialUse);
  await ctx.store.createFolder({ user, name: newFolderName(command.mailbox), ...(specialUse === undefined ? {} : { specialUse }) });
  return { text: 'CREATE completed' };
};
