/**
 * The metadata parse of each stored message, run in a worker thread. The
 * header section alone (at most METADATA_MAX_HEADER_BYTES) of a crafted
 * message — ten thousand addresses, thousands of RFC 2231 parameter
 * sections — kept mailparser busy for over 100 ms on the event loop, and a
 * Promise.race deadline cannot interrupt synchronous work. In the worker,
 * METADATA_PARSE_TIMEOUT is a real deadline: the worker is terminated and
 * the message is stored with empty metadata, as parseMetadata promises.
 */
import { WorkerTask, WorkerTaskTimeoutError } from '@mail/runtime';
import { emptyMetadata, headerSection, type MessageMetadata, type MetadataBudget, type MetadataResult } from './message-metadata';

const worker = new WorkerTask<Uint8Array, MessageMetadata>(new URL('./metadata-worker.ts', import.meta.url), {
  name: 'metadata parse',
  timeoutMs: 2_000,
});

/** As parseMetadata, off the event loop; never throws. */
export async function parseMetadataOffThread(body: Buffer, budget: MetadataBudget): Promise<MetadataResult> {
  try {
    // A copy of just the section: a structured clone of a view copies its whole underlying buffer (the body's read-ahead).
    const metadata = await worker.run(new Uint8Array(headerSection(body, budget.maxHeaderBytes)), budget.timeoutMs);
    return { outcome: 'parsed', metadata };
  } catch (error) {
    if (error instanceof WorkerTaskTimeoutError) return { outcome: 'timed-out', metadata: emptyMetadata, reason: `parsing took over ${budget.timeoutMs} ms` };
    return { outcome: 'failed', metadata: emptyMetadata, reason: (error as Error).message };
  }
}
