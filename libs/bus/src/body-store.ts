/**
 * Raw message bodies in the JetStream object store: large bodies never go
 * inside one bus message; events carry a BodyReference instead. Writing
 * streams the chunks as they come (one copy in flight, not the whole body
 * twice); reading yields chunks with backpressure: chunks are pulled from
 * JetStream a few at a time as the reader consumes them, so a slow reader
 * (a PostgreSQL write, a POP3 client) never makes the whole body pile up in
 * memory. A body of at most INLINE_BODY_MAX_OCTETS may instead travel
 * inline in its reference (putInlineIfSmall); read and delete serve both.
 */
import { createHash } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { INLINE_BODY_MAX_OCTETS, type BodyReference } from '@mail/contracts';

/** Chunks (128 KiB each by default) fetched ahead of the reader: bounds a reader's memory to about 0.5 MiB. */
const chunksAhead = 4;
/** Longest wait for the next chunk: beyond it the read fails (and its handler is retried) instead of hanging. */
const chunkTimeoutMs = 30_000;

/** The body is not in the object store (deleted after delivery, or expired). Other read failures are temporary. */
export class BodyNotFoundError extends Error {
  override name = 'BodyNotFoundError';
  constructor(
    readonly key: string,
    bucket: string,
  ) {
    super(`body ${key} not found in bucket ${bucket}`);
  }
}

/** No chunk arrived in time (NATS restarting, a stream leader moving): temporary. */
export class BodyReadTimeoutError extends Error {
  override name = 'BodyReadTimeoutError';
  constructor(key: string, timeoutMs: number) {
    super(`body ${key}: no chunk within ${timeoutMs} ms`);
  }
}

/** The iterator's next result, or a BodyReadTimeoutError after `timeoutMs`. */
async function nextWithin<T>(iterator: AsyncIterator<T>, key: string, timeoutMs: number): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyReadTimeoutError(key, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The body grew beyond the limit while being written. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`message body exceeds ${limit} octets`);
  }
}

/** The decoded inline body, checked against the reference's size and SHA-256 like an object-store read. */
function inlineBody(ref: BodyReference, inline: string): Buffer {
  const body = Buffer.from(inline, 'base64');
  if (body.length !== ref.size) throw new Error(`body ${ref.key} has ${body.length} inline octets, expected ${ref.size}`);
  if (createHash('sha256').update(body).digest('hex') !== ref.sha256) throw new Error(`body ${ref.key} is corrupt: its inline SHA-256 digest does not match the reference's`);
  return body;
}

export class BodyStore {
  #store: Promise<ObjectStore> | undefined;

  /** `open` is called at the first use (a service whose role uses no bodies never opens the bucket); a failed open is tried again at the next. */
  constructor(
    private readonly open: () => Promise<ObjectStore>,
    private readonly js: JetStreamClient,
    readonly bucket: string,
  ) {}

  private get store(): Promise<ObjectStore> {
    this.#store ??= this.open().catch((error: unknown) => {
      this.#store = undefined;
      throw error;
    });
    return this.#store;
  }

  /** Write the chunks under `key`; resolves once JetStream has acknowledged every chunk. */
  async put(key: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxSize = Infinity): Promise<BodyReference> {
    const hash = createHash('sha256');
    let size = 0;
    const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]()) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
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
    await (await this.store).put({ name: key }, stream);
    return { bucket: this.bucket, key, size, sha256: hash.digest('hex') };
  }

  /**
   * A body already whole in memory and at most INLINE_BODY_MAX_OCTETS goes
   * inline in the reference: no object-store write now (a metadata lookup
   * and two acknowledged publishes fewer before the 250) and no consumer for
   * each reader later. A larger one goes to the object store like put().
   */
  async putInlineIfSmall(key: string, chunks: readonly Uint8Array[], maxSize = Infinity): Promise<BodyReference> {
    const size = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    if (size > INLINE_BODY_MAX_OCTETS || size > maxSize) return this.put(key, chunks, maxSize);
    const body = Buffer.concat(chunks, size);
    const sha256 = createHash('sha256').update(body).digest('hex');
    return { bucket: this.bucket, key, size, sha256, inline: body.toString('base64') };
  }

  /** The body's chunks; throws if the body is missing, corrupt, or its size does not match the reference. */
  async *read(ref: BodyReference): AsyncGenerator<Uint8Array> {
    if (ref.inline !== undefined) {
      yield inlineBody(ref, ref.inline);
      return;
    }
    const info = await (await this.store).info(ref.key);
    if (!info || info.deleted) throw new BodyNotFoundError(ref.key, ref.bucket);
    let size = 0;
    const hash = createHash('sha256');
    if (info.size > 0) {
      // The object store's own get() uses a push consumer that buffers the whole
      // object when the reader is slower than the server; an ordered pull
      // consumer fetching a few chunks at a time keeps memory flat.
      const consumer = await this.js.consumers.get(`OBJ_${this.bucket}`, { filter_subjects: `$O.${this.bucket}.C.${info.nuid}` });
      const messages = await consumer.consume({ max_messages: chunksAhead });
      const iterator = messages[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await nextWithin(iterator, ref.key, chunkTimeoutMs);
          if (next.done) break;
          const message = next.value;
          if (message.data.length > 0) {
            size += message.data.length;
            hash.update(message.data);
            yield message.data;
          }
          if (message.info.pending === 0) break;
        }
      } finally {
        // Also when the reader stops early (e.g. after the header section) or a
        // chunk timed out: stop the subscription and let the iterator wind down
        // (awaiting close() would wait for an iteration nobody drives any more).
        messages.stop();
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
      }
    }
    if (size !== info.size || size !== ref.size) throw new Error(`body ${ref.key} has ${size} octets, expected ${ref.size}`);
    // Node's base64 decoder reads the URL-safe alphabet the object store uses as well.
    const expected = Buffer.from(info.digest.replace(/^SHA-256=/i, ''), 'base64');
    if (!expected.equals(hash.digest())) throw new Error(`body ${ref.key} is corrupt: its SHA-256 digest does not match the object's`);
  }

  async readAll(ref: BodyReference): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.read(ref)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** Removes the body from the object store; an inline body has nothing there. */
  async delete(ref: BodyReference): Promise<void> {
    if (ref.inline !== undefined) return;
    await (await this.store).delete(ref.key);
  }
}
