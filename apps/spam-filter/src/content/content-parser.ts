/**
 * The MIME parse of the content checks, run in a worker thread under a
 * deadline. mailparser is synchronous in places (header and address
 * parsing, RFC 2231 parameters, base64 of large parts): a crafted message
 * of a few hundred kilobytes kept the event loop busy for over 250 ms, so
 * every other message and DNSBL screening waited. Off the loop, a hostile
 * message costs at most CONTENT_PARSE_TIMEOUT_MS of one worker, and the
 * message is then scored without content checks.
 */
import { WorkerTask } from '@mail/runtime';
import type { ContentParseCall, ParsedContent } from './content-parser-worker';
import { CONTENT_SCAN_OCTETS, type MessageContent } from './message-content';

/** Longest a content parse may take before its worker is terminated. */
export const CONTENT_PARSE_TIMEOUT_MS = 5_000;

const worker = new WorkerTask<ContentParseCall, ParsedContent>(new URL('./content-parser-worker.ts', import.meta.url), {
  name: 'MIME content parse',
  timeoutMs: CONTENT_PARSE_TIMEOUT_MS,
});

/** parseContent in the worker; rejects when the parse fails or overruns its deadline. */
export async function parseContentOffThread(raw: Buffer, truncated = raw.length > CONTENT_SCAN_OCTETS): Promise<MessageContent> {
  const bytes = raw.subarray(0, CONTENT_SCAN_OCTETS);
  const content = await worker.run({ raw: bytes, truncated });
  return { ...content, raw: bytes };
}
