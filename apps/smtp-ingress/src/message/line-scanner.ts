/**
 * Line checks for BDAT data, which has no dot-stuffing and so does not pass
 * through DotUnstuffer: reports bare CR or LF (RFC 5321 §2.3.8: lines end
 * in CRLF) and lines over 1000 octets (RFC 5321 §4.5.3.1.6), across chunk
 * boundaries. Not used for BODY=BINARYMIME, which has no lines (RFC 3030 §3).
 */
import { MAX_TEXT_LINE } from '@mail/smtp';

const CR = 0x0d;
const LF = 0x0a;

/** Streaming scanner; feed every chunk in order. */
export class LineScanner {
  #bare = false;
  #long = false;
  #lineLength = 0;
  #afterCr = false;

  /** A bare CR or LF has been seen. A CR at the very end is judged when the next chunk (or `finish`) comes. */
  get bareLineEndings(): boolean {
    return this.#bare;
  }

  /** A line longer than 1000 octets including CRLF has been seen. */
  get longLines(): boolean {
    return this.#long;
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
    if (this.#lineLength > MAX_TEXT_LINE) this.#long = true;
  }

  #endLine(): void {
    // The line's length counts its line ending (a CR is already counted, the LF is not)
    if (this.#lineLength + 1 > MAX_TEXT_LINE) this.#long = true;
    this.#lineLength = 0;
  }
}
