/** UIDL [msg] (RFC 1939 §7): unique-id listings. */
import { formatListing, formatUniqueIdListing, ok } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * With a number: `+OK msg uid`. Without: `+OK` and one `msg uid` line per
 * message not marked as deleted, then `.`. The uid is mailbox-store's entry
 * uid, which never changes between sessions (RFC 1939 §7).
 */
export const handleUidl: CommandHandler<'UIDL'> = async (ctx, command) => {
  const { maildrop } = transactionMaildrop(ctx);
  if (command.msg !== undefined) {
    const message = maildrop.get(command.msg);
    await ctx.channel.write(ok(formatUniqueIdListing(message.number, message.uid)));
    return;
  }
  const lines = maildrop.visible().map((message) => formatUniqueIdListing(message.number, message.uid));
  await ctx.channel.write(ok('unique-id listing follows') + formatListing(lines));
};
