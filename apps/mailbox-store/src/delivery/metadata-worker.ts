/** Worker-thread entry of the metadata parse (see metadata-parser.ts); served by @mail/runtime's worker bootstrap. */
import { parseHeaderSection, type MessageMetadata } from './message-metadata';

export default function parseInWorker(section: Uint8Array): Promise<MessageMetadata> {
  return parseHeaderSection(Buffer.from(section.buffer, section.byteOffset, section.byteLength));
}
