/** RETR msg (RFC 1939 §5): send a whole message. */
import { ok } from '@mail/pop3';
import { sendWholeMessage, streamMessage } from '../maildrop/message-stream';
import { prefetchedMessage } from '../maildrop/retr-prefetch';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * `+OK <size> octets`, the byte-stuffed message, `.` (RFC 1939 §5). The
 * size is the stored size, i.e. the octets before stuffing, which is also
 * what LIST and STAT report. A small message comes from the session's
 * prefetch (one request for it and the next ones) and goes out in one
 * write; a large one streams chunk by chunk.
 */
export const handleRetr: CommandHandler<'RETR'> = async (ctx, command) => {
  const { user, maildrop } = transactionMaildrop(ctx);
  const message = maildrop.get(command.msg);
  const statusLine = ok(`${message.size} octets`);
  const whole = await prefetchedMessage({ mailbox: ctx.mailbox, log: ctx.log, user, maildrop, prefetched: ctx.session.prefetched }, message);
  const octets = whole === undefined ? await streamMessage(ctx.channel, ctx.mailbox.readMessage(user, message.uid), { statusLine }) : await sendWholeMessage(ctx.channel, statusLine, whole);
  ctx.metrics.retrOctets(octets);
  if (octets !== message.size) {
    ctx.log.error({ uid: message.uid, listed: message.size, sent: octets }, 'RETR sent a size different from the listing');
  }
};
