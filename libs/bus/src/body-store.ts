/**
 * Raw message bodies in the JetStream object store: large bodies never go
 * inside one bus message; events carry a BodyReference instead. Writing
 * streams the chunks as they come (one copy in flight, not the whole body
 * twice); reading yields chunks.
 */
import { createHash } from 'node:crypto';
import type { ObjectStore } from '@nats-io/obj';
import type { BodyReference } from '@mail/contracts';

/** The body grew beyond the limit while being written. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`message body exceeds ${limit} octets`);
  }
}

export class BodyStore {
  constructor(
    private readonly store: ObjectStore,
    readonly bucket: string,
  ) {}

  /** Write the chunks under `key`; resolves once JetStream has acknowledged every chunk. */
  async put(key: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxSize = Infinity): Promise<BodyReference> {
    const hash = createHash('sha256');
    let size = 0;
    const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]()) as
      | AsyncIterator<Uint8Array>
      | Iterator<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) return controller.close();
        size += next.value.byteLength;
        if (size > maxSize) return controller.error(new BodyTooLargeError(maxSize));
        hash.update(next.value);
        controller.enqueue(next.value);
      },
    });
    await this.store.put({ name: key }, stream);
    return { bucket: this.bucket, key, size, sha256: hash.digest('hex') };
  }

  /** The body's chunks; throws if the body is missing or its size does not match the reference. */
  async *read(ref: BodyReference): AsyncGenerator<Uint8Array> {
    const result = await this.store.get(ref.key);
    if (!result) throw new Error(`body ${ref.key} not found in bucket ${ref.bucket}`);
    let size = 0;
    const reader = result.data.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        yield value;
      }
      finished = true;
    } finally {
      // A reader that stops early (e.g. after the header section) stops the object's consumer too
      if (!finished) await reader.cancel().catch(() => undefined);
    }
    const error = await result.error;
    if (error) throw error;
    if (size !== ref.size) throw new Error(`body ${ref.key} has ${size} octets, expected ${ref.size}`);
  }

  async readAll(ref: BodyReference): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.read(ref)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async delete(ref: BodyReference): Promise<void> {
    await this.store.delete(ref.key);
  }
}
