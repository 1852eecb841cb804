/** ID (RFC 2971): the client's fields are logged (they name the client in support cases); the server answers its name only. */
import { formatId } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { wireOptions } from '../session/session-state';

export const id: CommandHandler<'ID'> = async (ctx, command) => {
  if (command.parameters !== null) ctx.log.info({ client: Object.fromEntries(command.parameters) }, 'client identified itself');
  // RFC 2971 §3.3: servers should not reveal version details that help an attacker
  await ctx.channel.write(formatId([['name', 'mail-platform imap-server']], wireOptions(ctx.session)));
  return { text: 'ID completed' };
};
