/**
 * What a notice returns of the original message (RFC 3461 §4.3 RET): its
 * header section, or the whole message for a failure notice when the sender
 * asked with RET=FULL — up to a limit, beyond which the header section goes
 * (as Postfix's bounce_size_limit does). The trace header lines the
 * pipeline added come first, as they did on the wire.
 */
import type { OutboundQueued } from '@mail/contracts';
import { readHeaderSection } from '../delivery/header-section';
import { messageContent, type BodyReader } from '../delivery/message-content';
import type { NoticeAction } from '../queue/delivery-notifier';
import type { ReturnedContent } from './report-message';

/** Largest message returned whole (1 MiB). */
export const FULL_RETURN_LIMIT = 1024 * 1024;

export async function returnedContent(message: OutboundQueued, action: NoticeAction, readBody: BodyReader): Promise<ReturnedContent> {
  const content = messageContent(message, readBody);
  // RFC 3461 §4.3: RET=FULL asks for the whole message in failure notices only
  if (action === 'failed' && message.envelope.dsnReturn === 'FULL' && content.size <= FULL_RETURN_LIMIT) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of content.chunks()) chunks.push(chunk);
    return { kind: 'full', content: Buffer.concat(chunks) };
  }
  return { kind: 'headers', content: await readHeaderSection(content.chunks()) };
}
