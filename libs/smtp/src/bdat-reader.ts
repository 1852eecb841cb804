// Server side of BDAT (RFC 3030 §2): take exactly the announced number of
// octets from the stream, with no dot-stuffing and no end marker, and hand
// back what follows (the next command).

/** The outcome of one {@link BdatReader.push}. */
export interface BdatResult {
  /** Chunk bytes from this input (views into it; store or copy them). */
  data: Buffer[];
  /** All announced octets have been read. */
  done: boolean;
  /** When done: bytes after the chunk (pipelined commands), if any. */
  rest?: Buffer;
}

/**
 * Reads one BDAT chunk of `size` octets. Feed it `LineReader.takeRest()`
 * first, then socket chunks, until `done`; give `rest` back to the LineReader.
 */
export class BdatReader {
  private remaining: number;
  private finished = false;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid BDAT size ${size}`);
    this.remaining = size;
  }

  /** Octets still expected. */
  get pending(): number {
    return this.remaining;
  }

  /** Consume a chunk. Throws if called after the chunk is complete. */
  push(chunk: Uint8Array): BdatResult {
    if (this.finished) throw new Error('BdatReader: push after end of chunk');
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length < this.remaining) {
      this.remaining -= buf.length;
      return { data: buf.length > 0 ? [buf] : [], done: false };
    }
    const take = this.remaining;
    this.remaining = 0;
    this.finished = true;
    const data = take > 0 ? [buf.subarray(0, take)] : [];
    return take < buf.length ? { data, done: true, rest: buf.subarray(take) } : { data, done: true };
  }
}
