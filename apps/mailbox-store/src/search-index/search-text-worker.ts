/**
 * Worker-thread entry of the search text extraction of a large message
 * (see search-text-extraction.ts); served by @mail/runtime's worker
 * bootstrap.
 */
import { extractSearchText, type SearchText, type SearchTextLimits } from '@mail/message-text';

export interface ExtractionCall {
  readonly raw: Uint8Array;
  readonly limits: SearchTextLimits;
}

export default function extractInWorker({ raw, limits }: ExtractionCall): SearchText {
  return extractSearchText(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), limits);
}
