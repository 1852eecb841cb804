/** NAMESPACE (RFC 9051 §6.3.10, RFC 2342): one personal namespace, no prefix, `/` as delimiter; no other users' or shared ones. */
import { FOLDER_DELIMITER } from '@mail/contracts';
import { formatNamespace } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { wireOptions } from '../session/session-state';

export const namespace: CommandHandler<'NAMESPACE'> = async (ctx) => {
  await ctx.channel.write(formatNamespace([{ prefix: '', delimiter: FOLDER_DELIMITER }], [], [], wireOptions(ctx.session)));
  return { text: 'NAMESPACE completed' };
};
