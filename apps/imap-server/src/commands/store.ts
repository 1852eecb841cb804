/**
 * STORE and UID STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162
 * §3.1.3): one messages.store per UID set; each changed message answered
 * with its new FLAGS (UID too for UID STORE) unless .SILENT; messages whose
 * UNCHANGEDSINCE test failed are named in `OK [MODIFIED]`.
 */
import type { CommandHandler, Completion } from '../session/command-context';
import { flagsUpdate } from '../session/mailbox-sync';
import { wireOptions } from '../session/session-state';
import { selectedMailbox, uidSets } from './selected';

export const store: CommandHandler<'STORE'> = async (ctx, command) => {
  const { user, mailbox } = selectedMailbox(ctx);
  mailbox.assertWritable();
  const refs = mailbox.resolve(command.sequenceSet, command.uid);
  const failed: number[] = [];
  const { action, flags, silent } = command.operation;
  for (const uids of uidSets(refs.map((r) => r.uid))) {
    const reply = await ctx.store.storeFlags({
      user,
      folder: mailbox.name,
      uids,
      action,
      flags: [...flags],
      ...(command.unchangedSince === undefined ? {} : { unchangedSince: Number(command.unchangedSince) }),
    });
    for (const uid of reply.failed) failed.push(command.uid ? uid : (mailbox.seqOf(uid) ?? 0));
    if (silent) continue;
    for (const message of reply.messages) {
      const seq = mailbox.seqOf(message.uid);
      if (seq !== undefined) await ctx.channel.write(flagsUpdate(seq, message, wireOptions(ctx.session)));
    }
  }
  const done: Completion = { text: 'STORE completed' };
  return failed.length === 0 ? done : { ...done, text: 'Some messages were modified meanwhile', code: { kind: 'MODIFIED', numbers: failed.filter((n) => n > 0) } };
};
