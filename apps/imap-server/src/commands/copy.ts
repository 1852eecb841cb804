/**
 * COPY and MOVE (RFC 9051 §6.4.7, RFC 6851), with their UID forms: one
 * messages.copy per UID set, answered with COPYUID (RFC 4315 §3). A
 * destination that does not exist is `NO [TRYCREATE]` (RFC 9051 §6.4.7),
 * one no mailbox can have `NO [NONEXISTENT]` (folder-name.ts), even when
 * no message is named.
 * MOVE reports COPYUID in an untagged OK, then the moved messages'
 * EXPUNGEs (RFC 6851 §4.3), or one VANISHED once QRESYNC is enabled (RFC
 * 6851 §4.4, RFC 7162 §3.2.10). A move into or out of Junk trains the spam
 * filter; mailbox-store does that.
 */
import { formatStatusResponse, ImapResponseError } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { expungeUpdates } from '../session/mailbox-sync';
import { wireOptions } from '../session/session-state';
import { existingFolderName } from './folder-name';
import { selectedMailbox, uidSets } from './selected';

export const copy: CommandHandler<'COPY' | 'MOVE'> = async (ctx, command) => {
  const { user, mailbox } = selectedMailbox(ctx);
  const move = command.kind === 'MOVE';
  if (move) mailbox.assertWritable();
  // RFC 9051 §6.4.7: TRYCREATE only when the mailbox could be created; a name no mailbox can have is NONEXISTENT
  const to = existingFolderName(command.mailbox);
  const refs = mailbox.resolve(command.sequenceSet, command.uid);
  if (refs.length === 0) return { text: `${command.kind} completed (no messages)` };
  const source: number[] = [];
  const destination: number[] = [];
  let uidValidity = 0;
  for (const uids of uidSets(refs.map((r) => r.uid))) {
    let reply;
    try {
      reply = await ctx.store.copyMessages({ user, folder: mailbox.name, uids, to, move });
    } catch (error) {
      if (error instanceof ImapResponseError && error.code === 'NONEXISTENT') throw new ImapResponseError('NO', 'No such destination mailbox', { code: 'TRYCREATE', userFault: true, cause: error });
      throw error;
    }
    uidValidity = reply.uidValidity;
    for (const pair of reply.copied) {
      source.push(pair.from);
      destination.push(pair.to);
    }
  }
  const code = { kind: 'COPYUID', uidValidity, source, destination } as const;
  if (!move) return { text: 'COPY completed', ...(source.length > 0 ? { code } : {}) };
  if (source.length > 0) await ctx.channel.write(formatStatusResponse({ status: 'OK', code, text: 'Moved' }));
  for (const update of expungeUpdates(mailbox, source, wireOptions(ctx.session))) await ctx.channel.write(update);
  return { text: 'MOVE completed' };
};
