// Split command-mode input into lines (RFC 5321 §2.3.8) with a length limit
// (RFC 5321 §4.5.3.1.4), and hand back unread bytes when the session
// switches to DATA or BDAT. Works for server commands and client replies.
//
// Line ends: CRLF. A bare LF also ends a line in command mode, as Postfix
// and most servers accept, for clients that send "QUIT\n"; the event says so
// (`bareLf`) for the session to log or refuse. This leniency never applies to
// message data: DATA goes through DotUnstuffer, where only CRLF counts.

import { MAX_COMMAND_LINE } from './command-parser';

/** One event from {@link LineReader.next}. */
export type LineEvent =
  /** A complete line, decoded as UTF-8, without its line ending. */
  | { kind: 'line'; text: string; bareLf: boolean }
  /** A line longer than the limit was received and dropped (answer 500 5.5.2 "Line too long", RFC 5321 §4.5.3.1.10). */
  | { kind: 'too-long' };

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Incremental line splitter. After each `push`, call `next()` until it
 * returns undefined, handling each line before asking for the next, so that
 * pipelined commands are read one at a time (RFC 2920 §3). After a DATA 354
 * or a BDAT command, call `takeRest()` to get the bytes already received.
 *
 * Memory: only a partial line is bounded, to `maxLineLength` octets; while
 * the caller does not call `next()` it should stop reading the socket.
 */
export class LineReader {
  /** Maximum line length in octets including the line ending. Change it for AUTH exchanges (MAX_AUTH_LINE). */
  maxLineLength: number;
  private buf: Buffer = EMPTY;
  private dropping = false; // discarding the rest of an over-long line until its LF
  private tooLongPending = false; // an over-long line has ended; report it next

  constructor(options: { maxLineLength?: number } = {}) {
    this.maxLineLength = options.maxLineLength ?? MAX_COMMAND_LINE;
  }

  /** Octets buffered and not yet returned. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Add bytes received from the socket. The reader may keep a view of `chunk`: do not reuse it. */
  push(chunk: Uint8Array): void {
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.dropping) {
      const lf = data.indexOf(LF);
      if (lf < 0) return; // still inside the over-long line
      this.dropping = false;
      this.tooLongPending = true;
      data = data.subarray(lf + 1);
    }
    if (data.length === 0) return;
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
  }

  /** The next line, a too-long marker, or undefined when no complete line is buffered. */
  next(): LineEvent | undefined {
    if (this.tooLongPending) {
      this.tooLongPending = false;
      return { kind: 'too-long' };
    }
    const lf = this.buf.indexOf(LF);
    if (lf < 0) {
      if (this.buf.length >= this.maxLineLength) {
        // Even with its LF still to come, this line is too long: drop it now
        this.buf = EMPTY;
        this.dropping = true;
      }
      return undefined;
    }
    const line = this.buf.subarray(0, lf + 1);
    this.buf = lf + 1 === this.buf.length ? EMPTY : this.buf.subarray(lf + 1);
    if (line.length > this.maxLineLength) return { kind: 'too-long' };
    const bareLf = lf === 0 || line[lf - 1] !== CR;
    return { kind: 'line', text: line.toString('utf8', 0, bareLf ? lf : lf - 1), bareLf };
  }

  /**
   * Take every buffered byte not yet returned as a line (for DATA or BDAT)
   * and reset. If an over-long line was being dropped, that state is cleared.
   */
  takeRest(): Buffer {
    const rest = this.buf;
    this.buf = EMPTY;
    this.dropping = false;
    this.tooLongPending = false;
    return rest;
  }
}
