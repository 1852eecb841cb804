/**
 * AUTH (RFC 4954) on the submission listener: PLAIN (RFC 4616) or LOGIN,
 * checked against mailbox-store's accounts. The gate has already made sure
 * AUTH is offered here (TLS, or plain text from loopback when allowed),
 * that EHLO came first and that no transaction or earlier AUTH is in the
 * way. Brute force is slowed down (a delay before every refusal) and
 * locked out per IP and per user through Redis (454 4.7.0). Neither the
 * exchange nor the user name of a failed attempt is ever logged.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { C235AuthSucceeded, C454TempAuthFailure, C504ParamNotImplemented, C535AuthCredentialsInvalid, EsAuthCredentialsInvalid, EsInvalidArguments, EsSecurityOther, SmtpReplyError } from '@mail/smtp';
import { authMechanism, type AuthMechanism } from '../../auth/auth-policy';
import { runSaslExchange, type SaslCredentials } from '../../auth/sasl-exchange';
import type { CommandContext, CommandHandler } from '../command-context';

/** RFC 4616 §2: acting as another identity is not permitted; an authzid must name the user itself. */
function authorizedUser(user: string | undefined, credentials: SaslCredentials): string | undefined {
  const { authzid } = credentials;
  if (user === undefined || authzid === undefined) return user;
  const asked = authzid.toLowerCase();
  return asked === user.toLowerCase() || asked === credentials.username.toLowerCase() ? user : undefined;
}

/** Waits the failure delay, then refuses. */
async function refuse(ctx: CommandContext, error: SmtpReplyError): Promise<never> {
  await delay(ctx.settings.authFailureDelayMs);
  throw error;
}

/** Verifies the credentials; resolves with the canonical user, or refuses (454 locked, 535 wrong). */
async function verify(ctx: CommandContext, mechanism: AuthMechanism, credentials: SaslCredentials): Promise<string> {
  const { authFailures, credentials: verifier, metrics } = ctx.services;
  const ip = ctx.state.clientIp;
  const lock = await authFailures.lockOf(ip, credentials.username);
  if (lock !== undefined) {
    metrics.authAttempt(mechanism, 'locked');
    ctx.log.warn({ mechanism, lockedBy: lock }, 'AUTH refused: too many failed attempts');
    // RFC 4954 §6: 454 4.7.0 temporary authentication failure; the password is not checked
    return refuse(ctx, new SmtpReplyError(C454TempAuthFailure, EsSecurityOther, 'Too many authentication failures, try again later', { userFault: true }));
  }
  let user: string | undefined;
  try {
    user = authorizedUser(await verifier.verify(credentials.username, credentials.password), credentials);
  } catch (error) {
    metrics.authAttempt(mechanism, 'unavailable');
    throw error;
  }
  if (user !== undefined) return user;
  await authFailures.recordFailure(ip, credentials.username);
  metrics.authAttempt(mechanism, 'failure');
  ctx.log.info({ mechanism }, 'AUTH failed');
  // RFC 4954 §6: 535 5.7.8 Authentication credentials invalid
  return refuse(ctx, new SmtpReplyError(C535AuthCredentialsInvalid, EsAuthCredentialsInvalid, 'Authentication credentials invalid'));
}

/** Runs the SASL exchange and, on success, answers 235 2.7.0 and records the user in the session. */
export const handleAuth: CommandHandler<'AUTH'> = async (ctx, command) => {
  const mechanism = authMechanism(command.mechanism);
  // RFC 4954 §4: an unsupported mechanism gets 504 5.5.4
  if (mechanism === undefined) throw new SmtpReplyError(C504ParamNotImplemented, EsInvalidArguments, 'Unrecognized authentication type');
  const exchange = await runSaslExchange(ctx.channel, mechanism, command.initialResponse);
  if (!exchange.ok) {
    ctx.services.metrics.authAttempt(mechanism, exchange.result);
    throw exchange.error;
  }
  const user = await verify(ctx, mechanism, exchange.credentials);
  await ctx.services.authFailures.recordSuccess(exchange.credentials.username);
  ctx.state.authUser = user;
  ctx.services.metrics.authAttempt(mechanism, 'success');
  ctx.log.info({ mechanism, authUser: user }, 'authenticated');
  // RFC 4954 §6: 235 2.7.0 Authentication successful
  await ctx.channel.reply(C235AuthSucceeded, EsSecurityOther, 'Authentication successful');
};
