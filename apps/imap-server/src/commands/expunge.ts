/**
 * EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1): removes the
 * \Deleted messages (within the UID set for UID EXPUNGE) and reports each
 * with `* n EXPUNGE`, highest number first so every number stays as the
 * client knows it.
 */
import { formatExpunge } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { selectedMailbox, uidSets } from './selected';

export const expunge: CommandHandler<'EXPUNGE'> = async (ctx, command) => {
  const { user, mailbox } = selectedMailbox(ctx);
  mailbox.assertWritable();
  const expunged: number[] = [];
  if (command.uids === undefined) expunged.push(...(await ctx.store.expungeFolder({ user, folder: mailbox.name })).expunged);
  else {
    const refs = mailbox.resolve(command.uids, true);
    for (const uids of uidSets(refs.map((r) => r.uid))) expunged.push(...(await ctx.store.expungeFolder({ user, folder: mailbox.name, uids })).expunged);
  }
  for (const seq of mailbox.remove(expunged)) await ctx.channel.write(formatExpunge(seq));
  return { text: 'EXPUNGE completed' };
};
