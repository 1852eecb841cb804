/**
 * The stored octets of a message — the prepended header lines, then the
 * body as it streams from the object store — cut into pieces of at most
 * `pieceBytes`, so that storing a message never needs it whole in memory.
 * Hashes as it goes (the body alone, checked against the event's reference
 * once the last piece is out; and everything, for messages.sha256) and keeps
 * the head of the body for metadata parsing.
 */
import { createHash, type Hash } from 'node:crypto';

/** The body read from the object store is not the one the event refers to; retrying cannot help. */
export class CorruptBodyError extends Error {
  override name = 'CorruptBodyError';
}

export interface ExpectedBody {
  readonly size: number;
  readonly sha256: string;
}

export class StoredPieces {
  readonly #chunks: AsyncIterator<Uint8Array>;
  /** Body chunks read ahead by head(), not yet cut into pieces. */
  readonly #readAhead: Buffer[] = [];
  #readAheadBytes = 0;
  #ended = false;
  readonly #bodyHash: Hash = createHash('sha256');
  readonly #storedHash: Hash = createHash('sha256');
  #bodyBytes = 0;
  #sha256: string | undefined;

  constructor(
    private readonly prefix: Buffer,
    body: AsyncIterable<Uint8Array>,
    private readonly expected: ExpectedBody,
    private readonly pieceBytes: number,
  ) {
    if (!Number.isSafeInteger(pieceBytes) || pieceBytes < 1) throw new RangeError('pieceBytes must be a positive integer');
    this.#chunks = body[Symbol.asyncIterator]();
  }

  /** Octets of the whole stored message. */
  get size(): number {
    return this.prefix.length + this.expected.size;
  }

  /** The first `maxBytes` octets of the body (fewer if it is shorter); call before pieces(). */
  async head(maxBytes: number): Promise<Buffer> {
    while (this.#readAheadBytes < maxBytes) {
      const chunk = await this.#next();
      if (chunk === undefined) break;
      this.#readAhead.push(chunk);
      this.#readAheadBytes += chunk.length;
    }
    return Buffer.concat(this.#readAhead).subarray(0, maxBytes);
  }

  /**
   * The pieces in order: each `pieceBytes` long but the last; at least one
   * (empty for an empty message).
   *
   * @throws CorruptBodyError after the last octet, when size or SHA-256 of
   *   the body differ from the reference: a caller that writes the pieces in
   *   a transaction and consumes them to the end never commits a corrupt message.
   */
  async *pieces(): AsyncGenerator<Buffer> {
    let parts: Buffer[] = [];
    let filled = 0;
    let yielded = false;
    for await (const source of this.#sources()) {
      let rest = source;
      while (rest.length > 0) {
        const take = Math.min(this.pieceBytes - filled, rest.length);
        parts.push(rest.subarray(0, take));
        filled += take;
        rest = rest.subarray(take);
        if (filled === this.pieceBytes) {
          yield this.#hashed(Buffer.concat(parts, filled));
          yielded = true;
          parts = [];
          filled = 0;
        }
      }
    }
    if (filled > 0 || !yielded) yield this.#hashed(Buffer.concat(parts, filled));
    this.#verify();
    this.#sha256 = this.#storedHash.digest('hex');
  }

  /** Hex SHA-256 of everything pieces() yielded; available once it has finished. */
  get sha256(): string {
    if (this.#sha256 === undefined) throw new Error('sha256 is known only after the last piece');
    return this.#sha256;
  }

  #hashed(piece: Buffer): Buffer {
    this.#storedHash.update(piece);
    return piece;
  }

  async *#sources(): AsyncGenerator<Buffer> {
    try {
      if (this.prefix.length > 0) yield this.prefix;
      while (this.#readAhead.length > 0) {
        const chunk = this.#readAhead.shift() as Buffer;
        this.#readAheadBytes -= chunk.length;
        yield chunk;
      }
      for (let chunk = await this.#next(); chunk !== undefined; chunk = await this.#next()) yield chunk;
    } finally {
      // A consumer that stops early (the row existed already) stops the body's reader too.
      if (!this.#ended) await this.#chunks.return?.(undefined);
    }
  }

  async #next(): Promise<Buffer | undefined> {
    if (this.#ended) return undefined;
    const next = await this.#chunks.next();
    if (next.done) {
      this.#ended = true;
      return undefined;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.#bodyHash.update(chunk);
    this.#bodyBytes += chunk.length;
    return chunk;
  }

  #verify(): void {
    if (this.#bodyBytes !== this.expected.size) {
      throw new CorruptBodyError(`body has ${this.#bodyBytes} octets, the reference says ${this.expected.size}`);
    }
    if (this.#bodyHash.digest('hex') !== this.expected.sha256) throw new CorruptBodyError('body does not match its sha256');
  }
}
