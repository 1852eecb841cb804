/** TOP msg n (RFC 1939 §7): headers and the first n body lines. */
import { ok } from '@mail/pop3';
import { streamMessage } from '../maildrop/message-stream';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * `+OK`, the header section, the blank line and `n` body lines, stuffed,
 * then `.` (RFC 1939 §7). Fetching stops as soon as the lines are out.
 */
export const handleTop: CommandHandler<'TOP'> = async (ctx, command) => {
  const { user, maildrop } = transactionMaildrop(ctx);
  const message = maildrop.get(command.msg);
  await streamMessage(ctx.channel, ctx.mailbox.readMessage(user, message.uid), {
    statusLine: ok('top of message follows'),
    topBodyLines: command.lines,
  });
};
