/** DELE msg (RFC 1939 §5): mark a message as deleted. */
import { ok } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * Marks the message; nothing is removed before QUIT commits the marks in
 * the UPDATE state (RFC 1939 §5, §6). A marked message can no longer be
 * referenced: `-ERR message n already deleted`.
 */
export const handleDele: CommandHandler<'DELE'> = async (ctx, command) => {
  const message = transactionMaildrop(ctx).maildrop.markDeleted(command.msg);
  await ctx.channel.write(ok(`message ${message.number} deleted`));
};
