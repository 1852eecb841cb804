/**
 * The body of one message while it arrives (DATA or BDAT chunks): keeps the
 * chunks once, in order, as received, until it is handed to the body store;
 * once the size limit is passed it keeps counting but stores nothing more
 * (RFC 1870 §6.3: the server reads to the end, then replies 552).
 */
import { LineScanner } from './line-scanner';

/** Chunks of a message in memory, bounded by the maximum message size. */
export class MessageBody {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #tooBig = false;
  readonly #scanner: LineScanner | undefined;

  /** `scanLines` checks line endings and lengths of BDAT data (see LineScanner). */
  constructor(
    readonly maxSize: number,
    options: { scanLines?: boolean } = {},
  ) {
    this.#scanner = options.scanLines ? new LineScanner() : undefined;
  }

  /** Octets received so far, kept or not. */
  get size(): number {
    return this.#size;
  }

  /** The size limit was exceeded; the chunks were dropped. */
  get tooBig(): boolean {
    return this.#tooBig;
  }

  /** For BDAT with line scanning: a bare CR or LF was seen. */
  get bareLineEndings(): boolean {
    return this.#scanner?.bareLineEndings ?? false;
  }

  /** For BDAT with line scanning: the longest line, in octets including its line ending. */
  get longestLine(): number {
    return this.#scanner?.longestLine ?? 0;
  }

  /** Add received octets. The chunk is kept as is (not copied): do not reuse it. */
  add(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#size += chunk.byteLength;
    if (this.#tooBig) return;
    if (this.#size > this.maxSize) {
      this.#tooBig = true;
      this.#chunks = []; // free what was held: the message will be refused
      return;
    }
    this.#chunks.push(chunk);
    this.#scanner?.push(chunk);
  }

  /** The data is complete (BDAT LAST): judge a trailing CR. */
  finish(): void {
    this.#scanner?.finish();
  }

  /** Hands the chunks over and forgets them, so the message is held in memory once. */
  take(): Uint8Array[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks;
  }
}
