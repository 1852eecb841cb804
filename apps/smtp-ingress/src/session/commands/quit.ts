/** QUIT (RFC 5321 §4.1.1.10): 221, then the server closes the connection. */
import { C221ServiceClosing, EsOther } from '@mail/smtp';
import type { CommandHandler } from '../command-context';

/** Answers `221 2.0.0 <host> closing connection` and ends the session (any transaction is dropped). */
export const handleQuit: CommandHandler<'QUIT'> = async (ctx) => {
  await ctx.channel.reply(C221ServiceClosing, EsOther, `${ctx.settings.hostname} closing connection`);
  return 'close';
};
