/**
 * APPEND (RFC 9051 §6.3.12) answered with APPENDUID (RFC 4315 §3): the
 * message goes to mailbox-store in the messages.append request, inline
 * when small, otherwise from the object store, where the session streamed
 * it as it arrived (append-uploads.ts); it is deleted there once
 * mailbox-store has answered. Flags and the internal date are kept as
 * given (the date with its zone, RFC 9051 §2.3.3). A folder that does not
 * exist is `NO [TRYCREATE]` (§6.3.12: never created on the fly), a full
 * mailbox `NO [OVERQUOTA]` (RFC 9208 §4.3); a message over APPENDLIMIT
 * never gets here (the reader refuses it with `NO [TOOBIG]`, RFC 7889).
 * Sent with a synchronizing literal, the command is checked before its
 * `+` (admitAppendMessage), so a client not logged in, a folder that does
 * not exist or a name none can have costs no message upload.
 *
 * One message per command: MULTIAPPEND (RFC 3502) is not advertised, since
 * its messages must be stored all or none (§3) and messages.append stores
 * one. An APPEND to the selected mailbox reports the new message's EXISTS
 * before the tagged OK.
 */
import { Flags, type BodyReference } from '@mail/contracts';
import { ImapResponseError, type AppendMessage, type ZonedDateTime } from '@mail/imap';
import type { CommandContext, CommandHandler, CommandOf } from '../session/command-context';
import { userOf } from '../session/session-state';
import { existingFolderName } from './folder-name';
import { listedFolder } from './status';

export const append: CommandHandler<'APPEND'> = async (ctx, command) => {
  const user = userOf(ctx.session) as string;
  const { folder, message, flags } = appendArguments(command);
  const content = (await ctx.uploads.take(message.content)) ?? (await ctx.store.messageBody(message.content));
  let appended;
  try {
    appended = await ctx.store.appendMessage({ user, folder, content, flags, ...(message.internalDate === undefined ? {} : { internalDate: isoTimestamp(message.internalDate) }) });
  } catch (error) {
    if (error instanceof ImapResponseError && error.code === 'NONEXISTENT') throw tryCreate(error);
    throw error;
  } finally {
    await deleteContent(ctx, content);
  }
  // RFC 9051 §7.4.1: the selected mailbox grew; the dispatcher reports EXISTS before the tagged OK
  if (ctx.session.protocol.kind === 'selected' && ctx.session.protocol.mailbox.name === folder) ctx.session.changesPending = true;
  return { text: 'APPEND completed', code: { kind: 'APPENDUID', uidValidity: appended.uidValidity, uids: [appended.uid] } };
};

/**
 * What can be refused before the client sends the message, its `+` not
 * sent (RFC 9051 §2.2.1; continuation-gate.ts): `command` holds the
 * message as empty. The checks of the handler, and the folder's existence.
 */
export async function admitAppendMessage(ctx: CommandContext, command: CommandOf<'APPEND'>): Promise<void> {
  const { folder } = appendArguments(command);
  if ((await listedFolder(ctx, folder, false)) === undefined) throw tryCreate();
}

/** The one message, its folder's name (folder-name.ts) and its flags. @throws ImapResponseError BAD for several messages or bad flags, NO [NONEXISTENT] for a name no mailbox can have. */
function appendArguments(command: CommandOf<'APPEND'>): { folder: string; message: AppendMessage; flags: string[] } {
  if (command.messages.length !== 1) throw new ImapResponseError('BAD', 'One message per APPEND: MULTIAPPEND is not supported', { userFault: true });
  const message = command.messages[0] as AppendMessage;
  const folder = existingFolderName(command.mailbox);
  const flags = Flags.safeParse(message.flags);
  if (!flags.success) throw new ImapResponseError('BAD', 'Unknown system flag, or too many flags', { userFault: true });
  return { folder, message, flags: flags.data };
}

/** RFC 9051 §6.3.12: no such mailbox, and the client may CREATE it and try again. */
function tryCreate(cause?: unknown): ImapResponseError {
  return new ImapResponseError('NO', 'No such mailbox', { code: 'TRYCREATE', userFault: true, cause });
}

/** The message leaves the object store once mailbox-store has its copy (or has refused it); a failure only leaves it to the bucket's max age. */
async function deleteContent(ctx: CommandContext, content: BodyReference): Promise<void> {
  try {
    await ctx.store.deleteMessageBody(content);
  } catch (error) {
    ctx.log.warn({ err: error, key: content.key }, 'could not delete an appended message from the object store');
  }
}

/** An internal date as ISO 8601 with the zone it was given in (`17-Jul-1996 02:44:25 -0700` → `1996-07-17T02:44:25-07:00`). */
export function isoTimestamp(date: ZonedDateTime): string {
  const local = new Date(date.epochMs + date.offsetMinutes * 60_000).toISOString().slice(0, 19);
  const offset = Math.abs(date.offsetMinutes);
  const zone = `${date.offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(offset / 60)).padStart(2, '0')}:${String(offset % 60).padStart(2, '0')}`;
  return `${local}${zone}`;
}
