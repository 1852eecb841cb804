/**
 * SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3): closes the mailbox selected
 * before (`* OK [CLOSED]`), reads the folder's UIDs, and reports EXISTS,
 * FLAGS, PERMANENTFLAGS, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ (RFC 7162
 * §3.1.2.1) and the mailbox's LIST line (RFC 9051 requires it; IMAP4rev1
 * clients get RECENT and UNSEEN as RFC 3501 §6.3.1 had them). With
 * (CONDSTORE) it turns CONDSTORE on (RFC 7162 §3.1.8); with (QRESYNC ...)
 * it also tells what changed since the client's modseq (RFC 7162 §3.2.5).
 * From then on the session hears the folder's change notices.
 */
import { SYSTEM_FLAGS, FOLDER_DELIMITER } from '@mail/contracts';
import { formatExists, formatFlags, formatListEntry, formatStatusResponse, formatVanished, ImapResponseError, resolveSequenceSet, untagged, type QresyncParameters } from '@mail/imap';
import type { CommandContext, CommandHandler } from '../session/command-context';
import { enableCondstore, highestModseqLine, modseqValue } from '../session/condstore';
import { changesSince, expungedSince, openMailbox } from '../session/mailbox-sync';
import type { SelectedMailbox } from '../session/selected-mailbox';
import { deselect, userOf, wireOptions } from '../session/session-state';
import { existingFolderName } from './folder-name';

export const select: CommandHandler<'SELECT' | 'EXAMINE'> = async (ctx, command) => {
  const { session } = ctx;
  const user = userOf(session) as string;
  // RFC 7162 §3.2.5: the QRESYNC parameter only once QRESYNC is enabled
  if (command.qresync !== undefined && !session.enabled.has('QRESYNC')) throw new ImapResponseError('BAD', 'QRESYNC is not enabled (ENABLE QRESYNC first)', { userFault: true });
  if (session.protocol.kind === 'selected') {
    deselect(session);
    // RFC 9051 §7.1, RFC 7162 §3.2.11: CLOSED tells the client the previous mailbox is no longer selected
    await ctx.channel.write(formatStatusResponse({ status: 'OK', code: 'CLOSED', text: 'Previous mailbox closed' }));
  }
  if (command.condstore) await enableCondstore(ctx);
  const readOnly = command.kind === 'EXAMINE';
  // RFC 9051 §6.3.2: a SELECT that fails (a name no mailbox can have too: folder-name.ts) leaves no mailbox selected
  const opened = await openMailbox(ctx.store, user, { name: existingFolderName(command.mailbox), readOnly });
  const { mailbox } = opened;
  const rev2 = session.enabled.has('IMAP4REV2');
  const lines: (string | Buffer)[] = [formatExists(mailbox.exists)];
  if (!rev2) lines.push(untagged('0 RECENT'));
  lines.push(formatFlags(SYSTEM_FLAGS));
  // RFC 9051 §7.1 PERMANENTFLAGS: \* = keywords may be created; none of them stick in a read-only mailbox
  const permanent = readOnly ? [] : [...SYSTEM_FLAGS, '\\*'];
  lines.push(formatStatusResponse({ status: 'OK', code: { kind: 'PERMANENTFLAGS', flags: permanent }, text: readOnly ? 'No permanent flags permitted' : 'Flags permitted' }));
  lines.push(formatStatusResponse({ status: 'OK', code: { kind: 'UIDVALIDITY', value: mailbox.uidValidity }, text: 'UIDs valid' }));
  lines.push(formatStatusResponse({ status: 'OK', code: { kind: 'UIDNEXT', value: mailbox.uidNext }, text: 'Predicted next UID' }));
  // RFC 7162 §3.1.2.1: every SELECT/EXAMINE of a mailbox that keeps mod-sequences reports its highest
  lines.push(highestModseqLine(mailbox.highestModseq));
  const firstUnseen = opened.firstUnseenUid === null ? undefined : mailbox.seqOf(opened.firstUnseenUid);
  if (!rev2 && firstUnseen !== undefined) lines.push(formatStatusResponse({ status: 'OK', code: { kind: 'UNSEEN', value: firstUnseen }, text: 'First unseen' }));
  const attributes = opened.specialUse === null ? [] : [opened.specialUse];
  lines.push(formatListEntry({ attributes, delimiter: FOLDER_DELIMITER, name: mailbox.name }, wireOptions(session)));
  for (const line of lines) await ctx.channel.write(line);
  // RFC 7162 §3.2.5.1: a UIDVALIDITY other than the mailbox's makes the rest of the parameter void
  if (command.qresync !== undefined && command.qresync.uidValidity === mailbox.uidValidity) await resynchronize(ctx, user, mailbox, command.qresync);
  const unwatch = ctx.changes.watch(user, mailbox.name, () => {
    session.changesPending = true;
    session.onChange?.();
  });
  session.protocol = { kind: 'selected', user, mailbox, unwatch };
  // Notices sent while QRESYNC's answer was read were not heard: look again before the tagged OK
  if (command.qresync !== undefined) session.changesPending = true;
  return { text: `${command.kind} completed`, code: readOnly ? 'READ-ONLY' : 'READ-WRITE' };
};

/**
 * RFC 7162 §3.2.5.1: the UIDs expunged since the client's modseq as
 * `* VANISHED (EARLIER)`, then the messages changed since as FETCH (UID
 * FLAGS MODSEQ) — both within the client's known UIDs when it named them
 * (`*` there is the last UID the folder ever gave, so an expunged last
 * message is still covered).
 */
async function resynchronize(ctx: CommandContext, user: string, mailbox: SelectedMailbox, qresync: QresyncParameters): Promise<void> {
  const since = modseqValue(qresync.modseq);
  const known = qresync.knownUids === undefined ? undefined : resolveSequenceSet(qresync.knownUids, { max: mailbox.uidNext - 1, kind: 'uid' });
  const vanished = await expungedSince(ctx.store, user, mailbox, since, known);
  if (vanished.length > 0) await ctx.channel.write(formatVanished(vanished, true));
  for await (const update of changesSince(ctx.store, user, mailbox, since, known, wireOptions(ctx.session))) await ctx.channel.write(update);
}
