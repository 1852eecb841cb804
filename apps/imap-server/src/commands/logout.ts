/** LOGOUT (RFC 9051 §6.1.3): the untagged BYE, then the tagged OK, then the server closes the connection. */
import { bye } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';

export const logout: CommandHandler<'LOGOUT'> = async (ctx) => {
  await ctx.channel.write(bye(`${ctx.settings.hostname} IMAP4rev2 server signing off`));
  return { text: 'LOGOUT completed', close: true };
};
