/** CAPABILITY (RFC 9051 §6.1.1): the list for the session's current state. */
import { formatCapability } from '@mail/imap';
import { capabilities } from '../session/capabilities';
import type { CommandHandler } from '../session/command-context';

export const capability: CommandHandler<'CAPABILITY'> = async (ctx) => {
  await ctx.channel.write(formatCapability(capabilities(ctx)));
  return { text: 'CAPABILITY completed' };
};
