/** RETR msg (RFC 1939 §5): send a whole message. */
import { ok } from '@mail/pop3';
import { streamMessage } from '../maildrop/message-stream';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * `+OK <size> octets`, the byte-stuffed message, `.` (RFC 1939 §5). The
 * size is the stored size, i.e. the octets before stuffing, which is also
 * what LIST and STAT report.
 */
export const handleRetr: CommandHandler<'RETR'> = async (ctx, command) => {
  const { user, maildrop } = transactionMaildrop(ctx);
  const message = maildrop.get(command.msg);
  const octets = await streamMessage(ctx.channel, ctx.mailbox.readMessage(user, message.uid), {
    statusLine: ok(`${message.size} octets`),
  });
  ctx.metrics.retrOctets(octets);
  if (octets !== message.size) {
    ctx.log.error({ uid: message.uid, listed: message.size, sent: octets }, 'RETR sent a size different from the listing');
  }
};
