/**
 * SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3): closes the mailbox selected
 * before (`* OK [CLOSED]`), reads the folder's UIDs, and reports EXISTS,
 * FLAGS, PERMANENTFLAGS, UIDVALIDITY, UIDNEXT and the mailbox's LIST line
 * (RFC 9051 requires it; IMAP4rev1 clients get RECENT and UNSEEN as RFC
 * 3501 §6.3.1 had them). From then on the session hears the folder's
 * change notices.
 */
import { SYSTEM_FLAGS, FOLDER_DELIMITER } from '@mail/contracts';
import { formatExists, formatFlags, formatListEntry, formatStatusResponse, untagged } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { openMailbox } from '../session/mailbox-sync';
import { deselect, userOf, wireOptions } from '../session/session-state';

export const select: CommandHandler<'SELECT' | 'EXAMINE'> = async (ctx, command) => {
  const { session } = ctx;
  const user = userOf(session) as string;
  if (session.protocol.kind === 'selected') {
    deselect(session);
    // RFC 9051 §7.1: CLOSED tells the client the previous mailbox is no longer selected
    await ctx.channel.write(formatStatusResponse({ status: 'OK', code: 'CLOSED', text: 'Previous mailbox closed' }));
  }
  const readOnly = command.kind === 'EXAMINE';
  const opened = await openMailbox(ctx.store, user, { name: command.mailbox, readOnly });
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
  const firstUnseen = opened.firstUnseenUid === null ? undefined : mailbox.seqOf(opened.firstUnseenUid);
  if (!rev2 && firstUnseen !== undefined) lines.push(formatStatusResponse({ status: 'OK', code: { kind: 'UNSEEN', value: firstUnseen }, text: 'First unseen' }));
  const attributes = opened.specialUse === null ? [] : [opened.specialUse];
  lines.push(formatListEntry({ attributes, delimiter: FOLDER_DELIMITER, name: mailbox.name }, wireOptions(session)));
  for (const line of lines) await ctx.channel.write(line);
  const unwatch = ctx.changes.watch(user, mailbox.name, () => {
    session.changesPending = true;
    session.onChange?.();
  });
  session.protocol = { kind: 'selected', user, mailbox, unwatch };
  return { text: `${command.kind} completed`, code: readOnly ? 'READ-ONLY' : 'READ-WRITE' };
};
