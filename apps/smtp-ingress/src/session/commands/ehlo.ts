/**
 * EHLO (RFC 5321 §4.1.1.1): the greeting of an ESMTP client, answered with
 * the service extensions this server implements and honours.
 */
import { C250Ok } from '@mail/smtp';
import { AUTH_MECHANISMS, authAvailability } from '../../auth/auth-policy';
import type { CommandHandler, SessionSettings } from '../command-context';
import { resetTransaction, type SessionState } from '../session-state';
import { checkHelloName } from './hello-name';

/** The extension lines of the EHLO reply, in order. */
export function ehloExtensions(settings: SessionSettings, state: SessionState): string[] {
  const extensions = [
    'PIPELINING', // RFC 2920
    `SIZE ${settings.maxMessageSize}`, // RFC 1870
    '8BITMIME', // RFC 6152
    'BINARYMIME', // RFC 3030 §3 (with BDAT only)
    'ENHANCEDSTATUSCODES', // RFC 2034
    'SMTPUTF8', // RFC 6531
    'CHUNKING', // RFC 3030
    'DSN', // RFC 3461
  ];
  // RFC 3207 §4.2: not offered once TLS is active
  if (settings.tls !== undefined && !state.tls) extensions.push('STARTTLS');
  // RFC 4954 §3: AUTH only where it can be used now (submission, over TLS or loopback when allowed)
  if (authAvailability(state, settings.allowPlaintextAuth) === 'offered') extensions.push(`AUTH ${AUTH_MECHANISMS.join(' ')}`);
  return extensions;
}

/** Records the client's name and lists the extensions (no enhanced code, RFC 2034 §3). */
export const handleEhlo: CommandHandler<'EHLO'> = async (ctx, command) => {
  checkHelloName(command.domain);
  // RFC 5321 §4.1.4: HELO/EHLO in a session resets any transaction (like RSET)
  resetTransaction(ctx.state);
  ctx.state.helo = { name: command.domain, extended: true };
  const lines = [`${ctx.settings.hostname} Hello ${command.domain}`, ...ehloExtensions(ctx.settings, ctx.state)];
  await ctx.channel.reply(C250Ok, undefined, lines);
};
