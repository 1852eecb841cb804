/**
 * EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1): removes the
 * \Deleted messages (within the UID set for UID EXPUNGE) and reports each
 * with `* n EXPUNGE`, highest number first so every number stays as the
 * client knows it — or, once QRESYNC is enabled, all of them in one
 * `* VANISHED uids` (RFC 7162 §3.2.7, §3.2.9), and the tagged OK carries
 * the mailbox's HIGHESTMODSEQ after the session has reported every change
 * up to it (RFC 7162 §3.2.7), so the client can store it as its state.
 */
import type { CommandContext, CommandHandler, Completion } from '../session/command-context';
import { expungeUpdates, synchronize } from '../session/mailbox-sync';
import { wireOptions } from '../session/session-state';
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
  const wire = wireOptions(ctx.session);
  for (const update of expungeUpdates(mailbox, expunged, wire)) await ctx.channel.write(update);
  const done: Completion = { text: 'EXPUNGE completed' };
  return wire.qresync ? { ...done, code: { kind: 'HIGHESTMODSEQ', value: BigInt(await reportAll(ctx)) } } : done;
};

/** Reports every change not reported yet (the session's own expunge is already out) and returns the modseq the session is at. */
async function reportAll(ctx: CommandContext): Promise<number> {
  const { session } = ctx;
  const { user, mailbox } = selectedMailbox(ctx);
  session.changesPending = false;
  for (const update of await synchronize(ctx.store, user, mailbox, wireOptions(session))) await ctx.channel.write(update);
  return mailbox.highestModseq;
}
