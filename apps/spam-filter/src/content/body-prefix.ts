/**
 * The first CONTENT_SCAN_OCTETS of a stored body, read from the object
 * store: all the content checks and training look at (see message-content.ts).
 */
import { BodyNotFoundError, type BodyStore } from '@mail/bus';
import type { BodyReference } from '@mail/contracts';
import { CONTENT_SCAN_OCTETS } from './message-content';

/** Reads at most `limit` octets of a stored body. */
export async function readBodyPrefix(bodies: BodyStore, ref: BodyReference, limit = CONTENT_SCAN_OCTETS): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodies.read(ref)) {
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    size += chunk.byteLength;
    if (size >= limit) break;
  }
  // Exactly the octets kept, in a buffer of their own: the parse worker gets a structured clone, which copies a view's whole underlying buffer.
  return { bytes: Buffer.concat(chunks, Math.min(size, limit)), truncated: ref.size > limit };
}

/**
 * The body's first octets, or undefined when the body is gone for good (a
 * redelivery after the relay delivered and removed it). Any other failure
 * (NATS restarting) is temporary and thrown, so the handler is retried.
 */
export async function readBodyPrefixUnlessGone(bodies: BodyStore, ref: BodyReference): Promise<{ bytes: Buffer; truncated: boolean } | undefined> {
  try {
    return await readBodyPrefix(bodies, ref);
  } catch (error) {
    if (error instanceof BodyNotFoundError) return undefined;
    throw error;
  }
}
