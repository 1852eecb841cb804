/** LIST [msg] (RFC 1939 §5): scan listings. */
import { formatListing, formatScanListing, ok } from '@mail/pop3';
import { describeSummary } from '../maildrop/maildrop';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * With a number: `+OK msg octets`. Without: `+OK` and one `msg octets` line
 * per message not marked as deleted, then `.` (RFC 1939 §5).
 */
export const handleList: CommandHandler<'LIST'> = async (ctx, command) => {
  const { maildrop } = transactionMaildrop(ctx);
  if (command.msg !== undefined) {
    const message = maildrop.get(command.msg);
    await ctx.channel.write(ok(formatScanListing(message.number, message.size)));
    return;
  }
  const lines = maildrop.visible().map((message) => formatScanListing(message.number, message.size));
  await ctx.channel.write(ok(describeSummary(maildrop.summary())) + formatListing(lines));
};
