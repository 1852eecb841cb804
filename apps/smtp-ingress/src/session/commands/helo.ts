/** HELO (RFC 5321 §4.1.1.1): plain SMTP, no service extensions. */
import { C250Ok } from '@mail/smtp';
import type { CommandHandler } from '../command-context';
import { resetTransaction } from '../session-state';
import { checkHelloName } from './hello-name';

/** Records the client's name and answers `250 <host> Hello <name>` (no enhanced code, RFC 2034 §3). */
export const handleHelo: CommandHandler<'HELO'> = async (ctx, command) => {
  checkHelloName(command.domain);
  // RFC 5321 §4.1.4: HELO/EHLO in a session resets any transaction (like RSET)
  resetTransaction(ctx.state);
  ctx.state.helo = { name: command.domain, extended: false };
  await ctx.channel.reply(C250Ok, undefined, `${ctx.settings.hostname} Hello ${command.domain}`);
};
