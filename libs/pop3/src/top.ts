// The content of a TOP reply (RFC 1939 §7): the header section, the blank
// line that ends it, and the first n lines of the body. Works on a stream of
// chunks and says when it has seen enough, so the server can stop reading.
//
// The output is raw message octets: byte-stuff it with MultilineEncoder.

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

type Phase = 'headers' | 'body' | 'finished';

/**
 * Streaming selector of the part of a message that TOP returns.
 *
 * RFC 1939 §7: the server sends the headers, the blank line separating the
 * headers from the body, and then the requested number of body lines. Lines
 * end at LF (CRLF or a bare LF); the header section ends at the first empty
 * line. A message without an empty line is all headers and is returned whole.
 */
export class TopExtractor {
  #phase: Phase = 'headers';
  #bodyLinesLeft: number;
  #partialLineOctets = 0; // octets of the current header line seen so far
  #partialLineIsCr = false; // whether those octets are exactly "\r"

  /**
   * @param bodyLines How many body lines to keep (the `n` of `TOP msg n`);
   *   0 keeps the headers and the blank line only.
   * @throws RangeError if bodyLines is not a non-negative safe integer.
   */
  constructor(bodyLines: number) {
    if (!Number.isSafeInteger(bodyLines) || bodyLines < 0) {
      throw new RangeError('TOP line count must be a non-negative integer');
    }
    this.#bodyLinesLeft = bodyLines;
  }

  /** True once the requested lines have been returned; later input is ignored. */
  get finished(): boolean {
    return this.#phase === 'finished';
  }

  /**
   * Takes the next chunk of the message and returns the part of it that
   * belongs in the TOP reply (a view into the chunk, not a copy).
   */
  push(chunk: Uint8Array): Buffer {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.#phase === 'headers') {
      pos = this.#skipHeaders(input);
      if (pos === -1) return input;
    }
    if (this.#phase === 'body') {
      pos = this.#skipBodyLines(input, pos);
      if (pos === -1) return input;
    }
    return pos === 0 ? EMPTY : input.subarray(0, pos);
  }

  /** Returns the offset just past the blank line, or -1 if the chunk holds none. */
  #skipHeaders(input: Buffer): number {
    let pos = 0;
    for (let lf = input.indexOf(LF); lf !== -1; lf = input.indexOf(LF, pos)) {
      const blank = this.#isBlankLine(input, pos, lf);
      this.#partialLineOctets = 0;
      this.#partialLineIsCr = false;
      pos = lf + 1;
      // RFC 5322 §2.1 / RFC 1939 §7: an empty line separates headers from body.
      if (blank) {
        this.#phase = this.#bodyLinesLeft === 0 ? 'finished' : 'body';
        return pos;
      }
    }
    const tail = input.length - pos;
    if (tail > 0) {
      this.#partialLineIsCr = this.#partialLineOctets + tail === 1 && input[pos] === CR;
      this.#partialLineOctets += tail;
    }
    return -1;
  }

  /** Whether the line ending at `lf` (begun in an earlier chunk, maybe) is empty or "\r". */
  #isBlankLine(input: Buffer, start: number, lf: number): boolean {
    const octets = this.#partialLineOctets + (lf - start);
    if (octets === 0) return true;
    if (octets !== 1) return false;
    return lf - start === 1 ? input[start] === CR : this.#partialLineIsCr;
  }

  /** Returns the offset past the last wanted body line, or -1 if more are needed. */
  #skipBodyLines(input: Buffer, from: number): number {
    let pos = from;
    while (this.#bodyLinesLeft > 0) {
      const lf = input.indexOf(LF, pos);
      if (lf === -1) return -1;
      this.#bodyLinesLeft -= 1;
      pos = lf + 1;
    }
    this.#phase = 'finished';
    return pos;
  }
}

/**
 * The TOP content of a whole message in memory: headers, blank line and the
 * first `bodyLines` body lines (RFC 1939 §7). Returns a view into `message`.
 */
export function extractTop(message: Uint8Array, bodyLines: number): Buffer {
  return new TopExtractor(bodyLines).push(message);
}
