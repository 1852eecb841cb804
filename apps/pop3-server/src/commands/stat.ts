/** STAT (RFC 1939 §5): the drop listing. */
import { formatDropListing } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/** `+OK count octets`, messages marked as deleted not counted (RFC 1939 §5). */
export const handleStat: CommandHandler<'STAT'> = async (ctx) => {
  const { count, octets } = transactionMaildrop(ctx).maildrop.summary();
  await ctx.channel.write(formatDropListing(count, octets));
};
