/**
 * STORE and UID STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162
 * §3.1.3): one messages.store per UID set; each changed message answered
 * with its new FLAGS (UID too, and MODSEQ once CONDSTORE is on: RFC 7162
 * §3.1) unless .SILENT — with UNCHANGEDSINCE even .SILENT answers each
 * message with its new MODSEQ (RFC 7162 §3.1.3); messages whose
 * UNCHANGEDSINCE test failed are named in `OK [MODIFIED]`. A state
 * answered with its FLAGS is noted in the mailbox, so the change notice the
 * STORE itself causes is not echoed as another FETCH (mailbox-sync.ts);
 * after .SILENT the client has not seen the resulting flags (another
 * session may have changed others), so that echo still comes.
 */
import { Flags } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';
import type { CommandHandler, Completion } from '../session/command-context';
import { enableCondstore, modseqValue } from '../session/condstore';
import { flagsUpdate, modseqUpdate } from '../session/mailbox-sync';
import { wireOptions } from '../session/session-state';
import { selectedMailbox, uidSets } from './selected';

export const store: CommandHandler<'STORE'> = async (ctx, command) => {
  const { user, mailbox } = selectedMailbox(ctx);
  mailbox.assertWritable();
  // RFC 7162 §3.1: STORE UNCHANGEDSINCE is a CONDSTORE enabling command
  if (command.unchangedSince !== undefined) await enableCondstore(ctx);
  const refs = mailbox.resolve(command.sequenceSet, command.uid);
  const failed: number[] = [];
  const { action, silent } = command.operation;
  // RFC 9051 §2.3.2: the system flags are those defined; others, and more flags than a message keeps, are the client's mistake (as APPEND's)
  const flags = Flags.safeParse(command.operation.flags);
  if (!flags.success) throw new ImapResponseError('BAD', 'Unknown system flag, or too many flags', { userFault: true });
  const wire = wireOptions(ctx.session);
  for (const uids of uidSets(refs.map((r) => r.uid))) {
    const reply = await ctx.store.storeFlags({
      user,
      folder: mailbox.name,
      uids,
      action,
      flags: flags.data,
      ...(command.unchangedSince === undefined ? {} : { unchangedSince: modseqValue(command.unchangedSince) }),
    });
    for (const uid of reply.failed) failed.push(command.uid ? uid : (mailbox.seqOf(uid) ?? 0));
    if (silent && command.unchangedSince === undefined) continue;
    for (const message of reply.messages) {
      const seq = mailbox.seqOf(message.uid);
      if (seq === undefined) continue;
      await ctx.channel.write(silent ? modseqUpdate(seq, message) : flagsUpdate(seq, message, wire));
      if (!silent) mailbox.noteReported(message.uid, message.modseq);
    }
  }
  const modified = failed.filter((n) => n > 0);
  const done: Completion = { text: 'STORE completed' };
  return modified.length === 0 ? done : { text: 'Some messages were modified meanwhile', code: { kind: 'MODIFIED', numbers: modified } };
};
