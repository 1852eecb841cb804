// Client side of DATA: dot-stuffing (RFC 5321 §4.5.2) and the end-of-data
// terminator (RFC 5321 §4.1.1.4), across arbitrary chunk boundaries.
//
// Line endings are normalised: a bare CR or bare LF is sent as CRLF, because
// a client MUST NOT transmit CR or LF except as CRLF (RFC 5321 §4.1.1.4,
// §2.3.8). This also stops us relaying a smuggled "\n.\r\n" that a lenient
// server downstream could take for the end of data.

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const DOT_BYTE = Buffer.from('.');
const LF_BYTE = Buffer.from('\n');
const CRLF_BYTES = Buffer.from('\r\n');

/**
 * Stateful dot-stuffer. `push` each chunk of the message and write what it
 * returns; then write `finish()`. Returned buffers may be views of the input.
 */
export class DotStuffer {
  private atLineStart = true; // start of data counts as a line start
  private pendingCr = false; // the last byte written was a CR whose LF has not arrived yet

  /** Stuff one chunk. */
  push(chunk: Uint8Array): Buffer[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: Buffer[] = [];
    const n = buf.length;
    let pos = 0;
    let segStart = 0;
    const emit = (to: number): void => {
      if (to > segStart) out.push(buf.subarray(segStart, to));
    };
    if (this.pendingCr && n > 0) {
      this.pendingCr = false;
      if (buf[0] === LF)
        pos = 1; // completes the CRLF
      else out.push(LF_BYTE); // a bare CR at the end of the last chunk: send CRLF
    }
    let nextCr = -2;
    let nextLf = -2;
    while (pos < n) {
      if (this.atLineStart) {
        const b = buf[pos];
        // RFC 5321 §4.5.2: before sending a line, if its first character is a period, insert another
        if (b === DOT) {
          emit(pos);
          out.push(DOT_BYTE);
          segStart = pos;
        }
        if (b !== CR && b !== LF) this.atLineStart = false;
      }
      if (nextCr !== -1 && nextCr < pos) nextCr = buf.indexOf(CR, pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = buf.indexOf(LF, pos);
      const end = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
      if (end === -1) break;
      this.atLineStart = true;
      if (buf[end] === LF) {
        // Bare LF: send CRLF
        emit(end);
        out.push(CRLF_BYTES);
        segStart = end + 1;
        pos = end + 1;
      } else if (end + 1 === n) {
        this.pendingCr = true; // CR at the end of the chunk: decide with the next one
        pos = n;
      } else if (buf[end + 1] === LF) {
        pos = end + 2; // CRLF, kept as is
      } else {
        // Bare CR: send CRLF
        emit(end + 1);
        out.push(LF_BYTE);
        segStart = end + 1;
        pos = end + 1;
      }
    }
    emit(n);
    return out;
  }

  /**
   * The end-of-data sequence: ".\r\n" after a complete line (or an empty
   * body), else CRLF first so the last line is terminated (RFC 5321 §4.1.1.4).
   * The stuffer must not be used afterwards.
   */
  finish(): Buffer {
    if (this.pendingCr) return Buffer.from('\n.\r\n');
    return Buffer.from(this.atLineStart ? '.\r\n' : '\r\n.\r\n');
  }
}

/**
 * Dot-stuff a whole message: yields the stuffed bytes, one buffer per input
 * chunk, then the terminator. Write each to the socket after the 354 reply.
 */
export async function* dotStuff(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Buffer> {
  const stuffer = new DotStuffer();
  for await (const chunk of source) {
    const parts = stuffer.push(chunk);
    if (parts.length === 1 && parts[0]) yield parts[0];
    else if (parts.length > 1) yield Buffer.concat(parts);
  }
  yield stuffer.finish();
}
