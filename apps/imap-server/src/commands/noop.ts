/**
 * NOOP (RFC 9051 §6.1.2) and CHECK (RFC 3501 §6.4.1, gone from IMAP4rev2
 * and answered as NOOP): no action, but the mailbox's changes since the
 * last command are reported (RFC 9051 §7: the natural poll of clients that
 * do not IDLE), whether or not a notice arrived. A selected mailbox
 * deleted or renamed elsewhere since is answered `* BYE` (RFC 2180 §3.3,
 * mailbox-sync.ts), not NO at every poll.
 */
import type { CommandContext, CommandHandler, Completion } from '../session/command-context';
import { synchronize } from '../session/mailbox-sync';
import { wireOptions } from '../session/session-state';

/**
 * Writes the untagged updates of the selected mailbox, if any. `woken`: a
 * change notice of the folder is why (IDLE), so the messages.changes
 * requests may be shared with the other sessions it woke (the change feed's
 * sharedChanges); a poll reads on its own, so that it sees every change made
 * before it, the session's own included.
 */
export async function reportMailboxChanges(ctx: CommandContext, woken = false): Promise<void> {
  const { session } = ctx;
  if (session.protocol.kind !== 'selected') return;
  session.changesPending = false;
  const source = woken ? ctx.changes.sharedChanges(ctx.store) : ctx.store;
  for (const update of await synchronize(source, session.protocol.user, session.protocol.mailbox, wireOptions(session))) await ctx.channel.write(update);
}

async function poll(ctx: CommandContext, name: string): Promise<Completion> {
  await reportMailboxChanges(ctx);
  return { text: `${name} completed` };
}

export const noop: CommandHandler<'NOOP'> = (ctx) => poll(ctx, 'NOOP');
export const check: CommandHandler<'CHECK'> = (ctx) => poll(ctx, 'CHECK');
