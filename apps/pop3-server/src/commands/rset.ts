/** RSET (RFC 1939 §5): unmark every message marked as deleted. */
import { ok } from '@mail/pop3';
import { describeSummary } from '../maildrop/maildrop';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/** Unmarks all messages and replies with the maildrop's size, as in RFC 1939 §5's example. */
export const handleRset: CommandHandler<'RSET'> = async (ctx) => {
  const { maildrop } = transactionMaildrop(ctx);
  maildrop.reset();
  await ctx.channel.write(ok(`maildrop has ${describeSummary(maildrop.summary())}`));
};
