/** RETR msg (RFC 1939 §5): send a whole message. */
import { ok } from '@mail/pop3';
import { recordSpanError } from '@mail/telemetry';
import type { MaildropMessage } from '../maildrop/maildrop';
import { sendWholeMessage, streamMessage } from '../maildrop/message-stream';
import { prefetchedMessage, takePrefetched, type PrefetchContext } from '../maildrop/retr-prefetch';
import type { CommandContext, CommandHandler } from '../session/command-context';
import { startRetrSpan, withActiveSpan } from '../session/session-span';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * `+OK <size> octets`, the byte-stuffed message, `.` (RFC 1939 §5). The
 * size is the stored size, i.e. the octets before stuffing, which is also
 * what LIST and STAT report. A small message comes from the session's
 * prefetch (one request for it and the next ones) and goes out in one
 * write; a large one streams chunk by chunk. Each RETR is a span of its
 * own; only one that asks mailbox-store for something makes it the active
 * span (session-span.ts).
 */
export const handleRetr: CommandHandler<'RETR'> = async (ctx, command) => {
  const span = startRetrSpan();
  try {
    const { user, maildrop } = transactionMaildrop(ctx);
    const message = maildrop.get(command.msg);
    const statusLine = ok(`${message.size} octets`);
    const prefetch: PrefetchContext = { mailbox: ctx.mailbox, log: ctx.log, user, maildrop, prefetched: ctx.session.prefetched };
    const held = takePrefetched(prefetch, message);
    const octets = held !== undefined ? await sendWholeMessage(ctx.channel, statusLine, held) : await withActiveSpan(span, () => retrieveFromStore(ctx, prefetch, message, statusLine));
    ctx.metrics.retrOctets(octets);
    if (octets !== message.size) {
      ctx.log.error({ uid: message.uid, listed: message.size, sent: octets }, 'RETR sent a size different from the listing');
    }
  } catch (error) {
    recordSpanError(span, error);
    throw error;
  } finally {
    span.end();
  }
};

/** The message not held by the session: prefetched with the next ones, or streamed when large or when the prefetch failed. */
async function retrieveFromStore(ctx: CommandContext, prefetch: PrefetchContext, message: MaildropMessage, statusLine: string): Promise<number> {
  const whole = await prefetchedMessage(prefetch, message);
  return whole === undefined ? streamMessage(ctx.channel, ctx.mailbox.readMessage(prefetch.user, message.uid), { statusLine }) : sendWholeMessage(ctx.channel, statusLine, whole);
}
