/**
 * Streams a stored message to the client as a multi-line response (RFC 1939
 * §3) for RETR and TOP: fetched chunk by chunk from mailbox-store, cut by
 * TopExtractor for TOP, byte-stuffed by MultilineEncoder and written with
 * socket backpressure, so a message of any size passes through in bounded
 * memory. A message already in hand whole (RETR prefetch) goes out in one
 * write instead.
 */
import { MultilineEncoder, TopExtractor, encodeMultilineResponse } from '@mail/pop3';
import { ConnectionClosedError, ResponseInterruptedError } from '@mail/tcp-session';
import type { Pop3Channel } from '../session/transport';

/** How to send the message. */
export interface MessageStreamOptions {
  /** The `+OK` line, written once the first chunk is in hand. */
  readonly statusLine: string;
  /** For TOP: the number of body lines after the headers (RFC 1939 §7). Absent for RETR. */
  readonly topBodyLines?: number;
}

/**
 * Sends `+OK`, the stuffed content and the terminating `.` line. Returns the
 * message octets sent, before stuffing.
 *
 * The first chunk is fetched before `+OK` is written: when mailbox-store
 * cannot be reached the client gets a clean `-ERR [SYS/TEMP]` (the
 * Pop3ResponseError of the chunk source propagates). A failure after `+OK`
 * becomes ResponseInterruptedError, and the session must close.
 */
export async function streamMessage(channel: Pop3Channel, chunks: AsyncGenerator<Buffer>, options: MessageStreamOptions): Promise<number> {
  const first = await chunks.next();
  await channel.write(options.statusLine);
  const encoder = new MultilineEncoder();
  const top = options.topBodyLines === undefined ? undefined : new TopExtractor(options.topBodyLines);
  let octets = 0;
  try {
    for (let next = first; next.done !== true; next = await chunks.next()) {
      const content = top === undefined ? next.value : top.push(next.value);
      octets += content.length;
      if (content.length > 0) await channel.write(encoder.push(content));
      // RFC 1939 §7: TOP needs only the start of the message; stop fetching.
      if (top?.finished === true) break;
    }
  } catch (error) {
    if (error instanceof ConnectionClosedError) throw error;
    throw new ResponseInterruptedError('message could not be read to its end', { cause: error });
  } finally {
    // Ends the chunk source early (TOP, or a failed write), so no further chunk is requested.
    await chunks.return(undefined).catch(() => undefined);
  }
  await channel.write(encoder.end());
  return octets;
}

/**
 * Sends `+OK`, the stuffed message and the terminating `.` line (RFC 1939 §3)
 * in one write (one buffer, the body copied once), for a message already
 * in hand whole. Returns the message octets sent, before stuffing.
 */
export async function sendWholeMessage(channel: Pop3Channel, statusLine: string, message: Buffer): Promise<number> {
  await channel.write(encodeMultilineResponse(statusLine, message));
  return message.length;
}
