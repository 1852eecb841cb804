/** APOP name digest (RFC 1939 §7): log in without sending the secret. */
import { Pop3ResponseError } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { logIn } from './login';

/**
 * Checks the digest against the timestamp of this session's greeting.
 * mailbox-store computes MD5(timestamp + secret) with the user's APOP
 * secret (set with `mailctl user apop`) and compares in constant time; the
 * secret never reaches this process. Users without a secret are refused like
 * a wrong digest. Off unless POP3_APOP_ENABLED: then the greeting carries no
 * timestamp and APOP is refused outright.
 *
 * No TLS is required: the digest is no reusable password (the timestamp is
 * new for every greeting), though it does not stop an offline dictionary
 * attack on a weak secret by someone who sees the exchange.
 */
export const handleApop: CommandHandler<'APOP'> = async (ctx, command) => {
  const timestamp = ctx.session.apopTimestamp;
  if (!ctx.settings.apopEnabled || timestamp === undefined) {
    throw new Pop3ResponseError('APOP not supported, use USER/PASS or AUTH PLAIN');
  }
  ctx.session.pendingUser = undefined;
  await logIn(ctx, command.name, 'apop', () => ctx.mailbox.verifyApop(command.name, timestamp, command.digest));
};
