/**
 * VRFY (RFC 5321 §3.5.3): answered 252 without looking anything up, so the
 * command discloses nothing about which users exist (RFC 5321 §7.3).
 */
import { C252CannotVerify } from '@mail/smtp';
import type { CommandHandler } from '../command-context';

/** RFC 3463 §3.6: X.5.0 other protocol status; the 252 says "will attempt delivery". */
const EsCannotVerify = '5.0';

/** Answers 252 2.5.0. */
export const handleVrfy: CommandHandler<'VRFY'> = async (ctx) => {
  await ctx.channel.reply(C252CannotVerify, EsCannotVerify, 'Cannot VRFY user, but will accept message and attempt delivery');
};
