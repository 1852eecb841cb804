/**
 * Line checks for BDAT data, which has no dot-stuffing and so does not pass
 * through DotUnstuffer: reports bare CR or LF (RFC 5321 §2.3.8: lines end
 * in CRLF) and the longest line (RFC 5321 §4.5.3.1.6 sets 1000 octets; the
 * content policy decides), across chunk boundaries. Not used for BODY=BINARYMIME, which has no lines (RFC 3030 §3).
 */
const CR = 0x0d;
const LF = 0x0a;

/** Streaming scanner; feed every chunk in order. */
export class LineScanner {
  #bare = false;
  #longest = 0;
  #lineLength = 0;
  #afterCr = false;

  /** A bare CR or LF has been seen. A CR at the very end is judged when the next chunk (or `finish`) comes. */
  get bareLineEndings(): boolean {
    return this.#bare;
  }

  /** The longest line so far, in octets including its line ending (as DotUnstuffer counts). */
  get longestLine(): number {
    return this.#longest;
  }

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === LF) {
        if (!this.#afterCr) this.#bare = true; // LF not preceded by CR
        this.#afterCr = false;
        this.#endLine();
        continue;
      }
      if (this.#afterCr) this.#bare = true; // CR not followed by LF
      this.#afterCr = byte === CR;
      this.#lineLength += 1;
    }
  }

  /** The data is complete: a trailing CR without LF is bare. */
  finish(): void {
    if (this.#afterCr) this.#bare = true;
    this.#afterCr = false;
    if (this.#lineLength > this.#longest) this.#longest = this.#lineLength;
  }

  #endLine(): void {
    // The line's length counts its line ending (a CR is already counted, the LF is not)
    if (this.#lineLength + 1 > this.#longest) this.#longest = this.#lineLength + 1;
    this.#lineLength = 0;
  }
}
