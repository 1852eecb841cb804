/**
 * Worker-thread entry of the metadata parse (see metadata-parser.ts); served
 * by @mail/runtime's worker bootstrap. mailparser is imported up front, so it
 * loads as the worker starts and not within the first call's deadline
 * (message-metadata.ts loads it at first use).
 */
import 'mailparser';
import { parseHeaderSection, type MessageMetadata } from './message-metadata';

export default function parseInWorker(section: Uint8Array): Promise<MessageMetadata> {
  return parseHeaderSection(Buffer.from(section.buffer, section.byteOffset, section.byteLength));
}
