/**
 * The search text of one stored message, never throwing. A small message
 * is read on the event loop: the extraction is linear in its octets and
 * costs about 0.1 ms for a message of a few KiB, less than a worker hop
 * (a structured clone each way). A larger one goes to a worker thread under
 * a deadline, so a hostile message costs at most that deadline of one
 * worker and the event loop never waits for it. A message whose
 * extraction fails or overruns is indexed by its raw octets
 * (rawSearchText), so it is never retried for ever and a SEARCH still sees
 * what it saw before there was an index.
 */
import { extractSearchText, rawSearchText, type SearchText, type SearchTextLimits } from '@mail/message-text';
import { WorkerTask } from '@mail/runtime';
import type { ExtractionCall } from './search-text-worker';

/** Octets up to which a message is read on the event loop (about 5 ms of CPU at most); larger ones go to the worker. */
export const IN_PROCESS_EXTRACTION_MAX_OCTETS = 256 * 1024;
/** Longest the worker may take for one message before it is terminated. */
export const EXTRACTION_TIMEOUT_MS = 5_000;

const worker = new WorkerTask<ExtractionCall, SearchText>(new URL('./search-text-worker.ts', import.meta.url), {
  name: 'search text extraction',
  timeoutMs: EXTRACTION_TIMEOUT_MS,
});

export interface ExtractedText extends SearchText {
  readonly extraction: 'decoded' | 'raw';
}

export async function extractForIndex(raw: Buffer, limits: SearchTextLimits): Promise<ExtractedText> {
  try {
    const text = raw.length <= IN_PROCESS_EXTRACTION_MAX_OCTETS ? extractSearchText(raw, limits) : await worker.run({ raw: new Uint8Array(raw), limits });
    return { ...text, extraction: 'decoded' };
  } catch {
    return { ...rawSearchText(raw, limits), extraction: 'raw' };
  }
}
