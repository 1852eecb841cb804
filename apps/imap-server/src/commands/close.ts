/**
 * CLOSE (RFC 9051 §6.4.1): expunges the \Deleted messages silently (no
 * EXPUNGE responses) unless the mailbox is read-only, then leaves the
 * selected state; UNSELECT (RFC 3691, RFC 9051 §6.4.2) leaves without expunging.
 */
import type { CommandHandler } from '../session/command-context';
import { deselect } from '../session/session-state';

export const close: CommandHandler<'CLOSE'> = async (ctx) => {
  const { session } = ctx;
  if (session.protocol.kind === 'selected' && !session.protocol.mailbox.readOnly) {
    await ctx.store.expungeFolder({ user: session.protocol.user, folder: session.protocol.mailbox.name });
  }
  deselect(session);
  return { text: 'CLOSE completed' };
};

export const unselect: CommandHandler<'UNSELECT'> = async (ctx) => {
  deselect(ctx.session);
  return { text: 'UNSELECT completed' };
};
