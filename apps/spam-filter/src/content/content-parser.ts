/**
 * The MIME parse of the content checks, under a deadline. mailparser is
 * synchronous in places (header and address parsing, RFC 2231 parameters,
 * base64 of large parts): a crafted message of a few hundred kilobytes kept
 * the event loop busy for over 250 ms, so every other message and DNSBL
 * screening waited. Such a message is parsed in a worker thread: a hostile
 * one costs at most CONTENT_PARSE_TIMEOUT_MS of one worker, and the message
 * is then scored without content checks.
 *
 * A small message is parsed on the event loop instead: the worker hop (a
 * structured clone each way, a thread's turn) cost more CPU than parsing a
 * 2 KiB message (about 0.6 ms against 0.4 ms). Up to IN_PROCESS_PARSE_MAX_OCTETS
 * even the hostile shapes (deep nesting, a thousand parts, address, group,
 * comment and RFC 2231 floods, broken encodings and boundaries) cost mailparser
 * at most about 40 ms of CPU the first time (20 ms once its code is warm),
 * in stretches of at most about 20 ms between its yields (measured on the
 * 2-core development machine; the cost grows about linearly with size):
 * far inside the 200 ms event-loop promise of docs/security.md, and the
 * parse deadline, which an in-process parse cannot overrun, is never near.
 * test/in-process-parse.test.ts holds that bound with a margin.
 */
import { WorkerTask } from '@mail/runtime';
import type { ContentParseCall, ParsedContent } from './content-parser-worker';
import { CONTENT_SCAN_OCTETS, type MessageContent } from './message-content';
import { parseMimeContent } from './mime-content';

/** Longest a content parse may take before its worker is terminated. */
export const CONTENT_PARSE_TIMEOUT_MS = 5_000;

/** Octets up to which a message is parsed on the event loop (see above); larger ones go to the worker. */
export const IN_PROCESS_PARSE_MAX_OCTETS = 32 * 1024;

export type ParsePlace = 'in-process' | 'worker';

const worker = new WorkerTask<ContentParseCall, ParsedContent>(new URL('./content-parser-worker.ts', import.meta.url), {
  name: 'MIME content parse',
  timeoutMs: CONTENT_PARSE_TIMEOUT_MS,
});

/** Where the content of a message of `octets` octets (as read, at most CONTENT_SCAN_OCTETS) is parsed. */
export function parsePlace(octets: number): ParsePlace {
  return octets <= IN_PROCESS_PARSE_MAX_OCTETS ? 'in-process' : 'worker';
}

/**
 * parseContent on the event loop for a small message, in the worker for a
 * larger one; rejects when the parse fails or overruns its deadline.
 */
export async function parseContentUnderDeadline(raw: Buffer, truncated = raw.length > CONTENT_SCAN_OCTETS): Promise<MessageContent> {
  const bytes = raw.subarray(0, CONTENT_SCAN_OCTETS);
  if (parsePlace(bytes.length) === 'in-process') return parseMimeContent(bytes, truncated);
  const content = await worker.run({ raw: bytes, truncated });
  return { ...content, raw: bytes };
}
