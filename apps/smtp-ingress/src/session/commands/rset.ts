/** RSET (RFC 5321 §4.1.1.5): abort the transaction, keep the session (HELO stays). */
import { C250Ok, EsOther } from '@mail/smtp';
import type { CommandHandler } from '../command-context';
import { resetTransaction } from '../session-state';

/** Clears the transaction, answers 250 2.0.0. */
export const handleRset: CommandHandler<'RSET'> = async (ctx) => {
  resetTransaction(ctx.state);
  await ctx.channel.reply(C250Ok, EsOther, 'Ok');
};
