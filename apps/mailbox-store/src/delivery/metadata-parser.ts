/**
 * The metadata parse of each stored message, on the event loop for a small
 * header section and in a worker thread for a larger one.
 *
 * The header section alone (at most METADATA_MAX_HEADER_BYTES) of a crafted
 * message — ten thousand addresses, thousands of RFC 2231 parameter
 * sections — kept mailparser busy for over 100 ms on the event loop, and a
 * Promise.race deadline cannot interrupt synchronous work. In the worker,
 * METADATA_PARSE_TIMEOUT is a real deadline: the worker is terminated and
 * the message is stored with empty metadata, as parseMetadata promises.
 *
 * A small header section is parsed on the event loop instead: the worker
 * hop (a structured clone each way, waking the worker and then the event
 * loop, for every message) cost more CPU than parsing the section of a
 * 2 KiB message, most of all when deliveries come one or two at a time.
 * Up to IN_PROCESS_HEADER_MAX_OCTETS (16 KiB: most header sections are
 * a few KiB, DKIM and ARC signatures and a long trail of Received lines
 * included) even the hostile shapes (address, group, comment and RFC 2231
 * floods, encoded words, thousands of fields) cost mailparser at most
 * about 26 ms of CPU, in stretches of at most about 21 ms between its
 * yields (measured cold on the loaded 2-core development machine; address
 * lists are parsed in one synchronous stretch, and at 32 KiB a group flood
 * took 74 ms): far inside the 200 ms event-loop promise of
 * docs/security.md, and the parse budget, which an in-process parse cannot
 * overrun, is never near. metadata-parser.spec.ts holds that bound with a
 * margin.
 */
import { WorkerTask, WorkerTaskTimeoutError } from '@mail/runtime';
import { emptyMetadata, headerSection, parseHeaderSection, type MessageMetadata, type MetadataBudget, type MetadataResult } from './message-metadata';

/** Octets of a header section up to which it is parsed on the event loop (see above); larger ones go to the worker. */
export const IN_PROCESS_HEADER_MAX_OCTETS = 16 * 1024;

export type MetadataParsePlace = 'in-process' | 'worker';

/** Where a header section of `octets` octets is parsed. */
export function metadataParsePlace(octets: number): MetadataParsePlace {
  return octets <= IN_PROCESS_HEADER_MAX_OCTETS ? 'in-process' : 'worker';
}

const worker = new WorkerTask<Uint8Array, MessageMetadata>(new URL('./metadata-worker.ts', import.meta.url), {
  name: 'metadata parse',
  timeoutMs: 2_000,
});

/** As parseMetadata: on the event loop for a small header section, in the worker for a larger one; never throws. */
export async function parseMetadataUnderBudget(body: Buffer, budget: MetadataBudget): Promise<MetadataResult> {
  const section = headerSection(body, budget.maxHeaderBytes);
  try {
    // No deadline timer here: within the bound the parse ends long before the budget (see above).
    if (metadataParsePlace(section.length) === 'in-process') return { outcome: 'parsed', metadata: await parseHeaderSection(section) };
    // A copy of just the section: a structured clone of a view copies its whole underlying buffer (the body's read-ahead).
    const metadata = await worker.run(new Uint8Array(section), budget.timeoutMs);
    return { outcome: 'parsed', metadata };
  } catch (error) {
    if (error instanceof WorkerTaskTimeoutError) return { outcome: 'timed-out', metadata: emptyMetadata, reason: `parsing took over ${budget.timeoutMs} ms` };
    return { outcome: 'failed', metadata: emptyMetadata, reason: (error as Error).message };
  }
}
