/**
 * Worker-thread entry of the MIME content parse (see content-parser.ts),
 * served by @mail/runtime's worker bootstrap. The caller has cut the octets
 * to CONTENT_SCAN_OCTETS; only mime-content.ts (mailparser) is loaded here.
 * mailparser is imported up front, so it loads as the worker starts and not
 * within the first call's deadline (mime-content.ts loads it at first use).
 */
import 'mailparser';
import type { MessageContent } from './message-content';
import { parseMimeContent } from './mime-content';

export interface ContentParseCall {
  /** At most CONTENT_SCAN_OCTETS. */
  readonly raw: Uint8Array;
  readonly truncated: boolean;
}

/** The parsed content without the octets, which the caller already has. */
export type ParsedContent = Omit<MessageContent, 'raw'>;

export default async function parseInWorker({ raw, truncated }: ContentParseCall): Promise<ParsedContent> {
  const { raw: _octets, ...content } = await parseMimeContent(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), truncated);
  return content;
}
