/** NOOP (RFC 5321 §4.1.1.9): no effect, argument ignored. */
import { C250Ok, EsOther } from '@mail/smtp';
import type { CommandHandler } from '../command-context';

/** Answers 250 2.0.0. */
export const handleNoop: CommandHandler<'NOOP'> = async (ctx) => {
  await ctx.channel.reply(C250Ok, EsOther, 'Ok');
};
