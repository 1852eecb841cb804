/**
 * The end of every authentication command (PASS, AUTH PLAIN): check the
 * credentials with mailbox-store, take the maildrop lock, list and number
 * the maildrop once, and enter the TRANSACTION state (RFC 1939 §4, §8).
 */
import { Pop3ResponseCode, Pop3ResponseError, ok } from '@mail/pop3';
import { Maildrop, describeSummary } from '../maildrop/maildrop';
import type { CommandContext } from '../session/command-context';

/**
 * RFC 2595 §2.2: when plaintext passwords are disallowed they are accepted
 * only over TLS.
 *
 * @throws Pop3ResponseError [AUTH] on a connection without TLS when
 *   POP3_ALLOW_PLAINTEXT_AUTH is false.
 */
export function assertPasswordsAllowed(ctx: CommandContext): void {
  if (ctx.settings.allowPlaintextAuth || ctx.channel.tlsActive) return;
  throw new Pop3ResponseError('plaintext authentication disallowed without TLS, use STLS first', {
    responseCode: Pop3ResponseCode.Auth,
  });
}

/** Whether USER/PASS and AUTH PLAIN may be used right now (for CAPA). */
export function passwordsAllowed(ctx: CommandContext): boolean {
  return ctx.settings.allowPlaintextAuth || ctx.channel.tlsActive;
}

/**
 * Logs `username` in with `password` and replies `+OK maildrop has ...`.
 *
 * @throws Pop3ResponseError `[AUTH] invalid user name or password` (RFC 3206
 *   §5; never saying which of the two was wrong), `[IN-USE]` when another
 *   session holds the maildrop (RFC 2449 §8.1.2), or `[SYS/TEMP]`.
 */
export async function logIn(ctx: CommandContext, username: string, password: string): Promise<void> {
  const { session, metrics } = ctx;
  const user = await countFailure(ctx, () => ctx.mailbox.verifyCredentials(username, password));
  if (user === undefined) {
    metrics.login('failure');
    ctx.log.info({ username }, 'login failed');
    throw new Pop3ResponseError('invalid user name or password', { responseCode: Pop3ResponseCode.Auth });
  }
  // RFC 1939 §8: exclusive access to the maildrop, across every replica.
  const lock = await countFailure(ctx, () => ctx.locks.acquire(user, session.id));
  if (lock === undefined) {
    metrics.login('in-use');
    ctx.log.info({ user }, 'login refused: maildrop locked by another session');
    throw new Pop3ResponseError('maildrop already locked', { responseCode: Pop3ResponseCode.InUse });
  }
  let maildrop: Maildrop;
  try {
    // RFC 1939 §5: listed once; the numbers hold for the whole session.
    maildrop = new Maildrop(await ctx.mailbox.listMaildrop(user, ctx.settings.folders));
  } catch (error) {
    await lock.release();
    metrics.login('error');
    throw error;
  }
  session.state = 'TRANSACTION';
  session.user = user;
  session.lock = lock;
  session.maildrop = maildrop;
  session.pendingUser = undefined;
  metrics.login('success');
  ctx.log.info({ user, messages: maildrop.summary().count }, 'logged in');
  await ctx.channel.write(ok(`maildrop has ${describeSummary(maildrop.summary())}`));
}

async function countFailure<T>(ctx: CommandContext, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    ctx.metrics.login('error');
    throw error;
  }
}
