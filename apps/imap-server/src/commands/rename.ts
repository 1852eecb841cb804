/**
 * RENAME (RFC 9051 §6.3.6): mailbox-store renames the folder and its
 * inferior names (`a` to `b` takes `a/x` to `b/x`), creating the superior
 * levels the new name needs, and keeps their UIDs and UIDVALIDITY. A target
 * that exists: `NO [ALREADYEXISTS]`; a source that does not: `NO
 * [NONEXISTENT]`; Junk keeps its name (`NO [CANNOT]`).
 *
 * Renaming INBOX moves its messages into a new folder of the new name and
 * leaves INBOX empty, its inferior names in place (§6.3.6): a session that
 * has INBOX selected stays there and is told the EXPUNGEs before the tagged
 * OK. Renaming the selected mailbox otherwise takes it away from under the
 * session, which leaves the selected state (`* OK [CLOSED]`, as delete.ts).
 */
import type { CommandHandler } from '../session/command-context';
import { userOf } from '../session/session-state';
import { closeIfSelected } from './delete';
import { existingFolderName, newFolderName } from './folder-name';

const INBOX = 'INBOX';

export const rename: CommandHandler<'RENAME'> = async (ctx, command) => {
  const user = userOf(ctx.session) as string;
  const reply = await ctx.store.renameFolder({ user, from: existingFolderName(command.from), to: newFolderName(command.to) });
  if (command.from === INBOX) {
    // RFC 9051 §7.5.1: the messages that left INBOX are reported as EXPUNGE (the dispatcher synchronizes before the tagged OK)
    if (ctx.session.protocol.kind === 'selected' && ctx.session.protocol.mailbox.name === INBOX) ctx.session.changesPending = true;
  } else
    await closeIfSelected(
      ctx,
      reply.renamed.map((pair) => pair.from),
      'The selected mailbox was renamed',
    );
  return { text: 'RENAME completed' };
};
