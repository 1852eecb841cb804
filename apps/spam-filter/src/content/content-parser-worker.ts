/** Worker-thread entry of the MIME content parse (see content-parser.ts). */
import { serveWorkerTask } from '@mail/runtime';
import { parseContent, type MessageContent } from './message-content';

export interface ContentParseCall {
  readonly raw: Uint8Array;
  readonly truncated: boolean;
}

/** The parsed content without the octets, which the caller already has. */
export type ParsedContent = Omit<MessageContent, 'raw'>;

serveWorkerTask(async ({ raw, truncated }: ContentParseCall): Promise<ParsedContent> => {
  const { raw: _octets, ...content } = await parseContent(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), truncated);
  return content;
});
