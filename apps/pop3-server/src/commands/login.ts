/**
 * The end of every authentication command (PASS, AUTH PLAIN, APOP): apply
 * the brute-force limits, check the credentials with mailbox-store, apply
 * LOGIN-DELAY, take the maildrop lock, list and number the maildrop once,
 * and enter the TRANSACTION state (RFC 1939 §4, §8).
 */
import { Pop3ResponseCode, Pop3ResponseError, ok } from '@mail/pop3';
import { loginTooSoon } from '../auth/login-delay';
import { Maildrop, describeSummary } from '../maildrop/maildrop';
import type { AuthMechanism } from '../metrics';
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

/** Checks credentials: resolves to the canonical user name, or undefined when they are wrong. */
export type CredentialCheck = () => Promise<string | undefined>;

/**
 * Logs `username` in when `check` accepts the credentials, and replies
 * `+OK maildrop has ...`. First the brute-force limits: a blocked attempt is
 * refused after a delay without looking at the credentials, so a right
 * password does not get through either and the reply tells the attacker
 * nothing. A failure counts against the user name and the client network
 * and is answered after POP3_AUTH_FAILURE_DELAY.
 *
 * @throws Pop3ResponseError `[AUTH] invalid user name or password` (RFC 3206
 *   §5; never saying which of the two was wrong), `[AUTH] too many failed
 *   logins`, `[LOGIN-DELAY]` (RFC 2449 §8.1.1), `[IN-USE]` when another
 *   session holds the maildrop (RFC 2449 §8.1.2), or `[SYS/TEMP]`.
 */
export async function logIn(ctx: CommandContext, username: string, mechanism: AuthMechanism, check: CredentialCheck): Promise<void> {
  const { session, metrics } = ctx;
  const verdict = await countFailure(ctx, () => ctx.throttle.check(username, session.clientNetwork));
  if (verdict.blocked) {
    metrics.login('blocked');
    ctx.log.warn({ username, network: session.clientNetwork, scope: verdict.scope, retryAfterMs: verdict.retryAfterMs }, 'login blocked: too many failed attempts');
    await pause(ctx.settings.blockedReplyDelayMs);
    throw new Pop3ResponseError('too many failed logins, try again later', { responseCode: Pop3ResponseCode.Auth });
  }
  const user = await countFailure(ctx, check);
  if (user === undefined) {
    metrics.login('failure');
    metrics.authFailure(mechanism);
    await ctx.throttle.recordFailure(username, session.clientNetwork);
    ctx.log.info({ username, mechanism, network: session.clientNetwork }, 'login failed');
    // Slows a guesser down from the first failure, before any block
    await pause(ctx.settings.failureReplyDelayMs ?? 0);
    throw new Pop3ResponseError('invalid user name or password', { responseCode: Pop3ResponseCode.Auth });
  }
  await ctx.throttle.recordSuccess(username);
  if (!(await countFailure(ctx, () => ctx.loginDelay.admit(user)))) {
    metrics.login('login-delay');
    ctx.log.info({ user }, 'login refused: within LOGIN-DELAY of the last one');
    throw loginTooSoon(ctx.loginDelay.seconds);
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
  ctx.log.info({ user, mechanism, messages: maildrop.summary().count }, 'logged in');
  await ctx.channel.write(ok(`maildrop has ${describeSummary(maildrop.summary())}`));
}

/** {@link logIn} with a password (USER/PASS, AUTH PLAIN), checked by mailbox-store. */
export function logInWithPassword(ctx: CommandContext, username: string, password: string, mechanism: 'pass' | 'plain'): Promise<void> {
  return logIn(ctx, username, mechanism, () => ctx.mailbox.verifyCredentials(username, password));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function countFailure<T>(ctx: CommandContext, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    ctx.metrics.login('error');
    throw error;
  }
}
