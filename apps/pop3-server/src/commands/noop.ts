/** NOOP (RFC 1939 §5): do nothing, say +OK. */
import { ok } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';

/** Replies `+OK`; clients use it to keep the session from timing out. */
export const handleNoop: CommandHandler<'NOOP'> = async (ctx) => {
  await ctx.channel.write(ok());
};
