/** PASS string (RFC 1939 §7): authenticate the name given by USER. */
import { Pop3ResponseError } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { assertPasswordsAllowed, logInWithPassword } from './login';

/**
 * Checks the password for the pending USER name and enters TRANSACTION.
 * RFC 1939 §7: PASS is valid only after a successful USER; after a failed
 * PASS the client starts over with a new USER (or QUITs).
 */
export const handlePass: CommandHandler<'PASS'> = async (ctx, command) => {
  assertPasswordsAllowed(ctx);
  const username = ctx.session.pendingUser;
  if (username === undefined) throw new Pop3ResponseError('PASS must follow USER');
  ctx.session.pendingUser = undefined;
  await logInWithPassword(ctx, username, command.password, 'pass');
};
