/** USER name (RFC 1939 §7): remember the name for the PASS that follows. */
import { ok } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { assertPasswordsAllowed } from './login';

/**
 * Accepts any name: RFC 1939 §13 allows answering `+OK` whether or not the
 * mailbox exists, which keeps USER from revealing valid names. Names are
 * full e-mail addresses (RFC 2449 §4 lets them exceed 40 characters).
 */
export const handleUser: CommandHandler<'USER'> = async (ctx, command) => {
  assertPasswordsAllowed(ctx);
  ctx.session.pendingUser = command.name;
  await ctx.channel.write(ok('send PASS'));
};
