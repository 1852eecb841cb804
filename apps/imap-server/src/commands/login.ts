/**
 * LOGIN (RFC 9051 §6.2.3) and the end of every authentication (AUTHENTICATE
 * PLAIN too): passwords only where they may travel (TLS, or a loopback
 * client when IMAP_ALLOW_PLAINTEXT_AUTH is set: RFC 9051 §11.1), the
 * brute-force limits first — a blocked attempt is refused after a delay
 * without looking at the credentials, so a right password does not get
 * through either — then mailbox-store's check of the password. A failure
 * counts against the user name and the client network and is answered
 * `NO [AUTHENTICATIONFAILED]` after IMAP_AUTH_FAILURE_DELAY, never saying
 * which of the two was wrong.
 */
import { ImapResponseError } from '@mail/imap';
import type { AuthMechanism } from '../metrics';
import { capabilities, passwordsAllowed } from '../session/capabilities';
import type { CommandContext, CommandHandler, Completion } from '../session/command-context';

/** @throws ImapResponseError NO [PRIVACYREQUIRED] on a connection where passwords may not be sent (RFC 9051 §6.2.3: LOGINDISABLED). */
export function assertPasswordsAllowed(ctx: CommandContext): void {
  if (passwordsAllowed(ctx)) return;
  throw new ImapResponseError('NO', 'Passwords are accepted over TLS only: use STARTTLS first', { code: 'PRIVACYREQUIRED', userFault: true });
}

/** Checks the password and enters the authenticated state (RFC 9051 §3.2); the OK carries the new capabilities. */
export async function logIn(ctx: CommandContext, username: string, password: string, mechanism: AuthMechanism): Promise<Completion> {
  const { session, metrics } = ctx;
  const verdict = await counted(ctx, () => ctx.throttle.check(username, session.clientNetwork));
  if (verdict.blocked) {
    metrics.login('blocked');
    ctx.log.warn({ username, network: session.clientNetwork, scope: verdict.scope }, 'login blocked: too many failed attempts');
    await pause(ctx.settings.blockedReplyDelayMs);
    throw new ImapResponseError('NO', 'Too many failed logins, try again later', { code: 'AUTHENTICATIONFAILED', userFault: true });
  }
  const user = await counted(ctx, () => ctx.store.verifyCredentials(username, password));
  if (user === undefined) {
    metrics.login('failure');
    metrics.authFailure(mechanism);
    await ctx.throttle.recordFailure(username, session.clientNetwork);
    ctx.log.info({ username, mechanism, network: session.clientNetwork }, 'login failed');
    await pause(ctx.settings.failureReplyDelayMs);
    throw new ImapResponseError('NO', 'Invalid user name or password', { code: 'AUTHENTICATIONFAILED', userFault: true });
  }
  await ctx.throttle.recordSuccess(username);
  session.protocol = { kind: 'authenticated', user };
  metrics.login('success');
  ctx.log.info({ user, mechanism }, 'logged in');
  return { text: 'Logged in', code: { kind: 'CAPABILITY', capabilities: capabilities(ctx) } };
}

export const login: CommandHandler<'LOGIN'> = (ctx, command) => {
  assertPasswordsAllowed(ctx);
  return logIn(ctx, command.username, command.password, 'login');
};

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function counted<T>(ctx: CommandContext, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    ctx.metrics.login('error');
    throw error;
  }
}
