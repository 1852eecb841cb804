// Server side of DATA: remove dot-stuffing (RFC 5321 §4.5.2) and find the
// end of data (RFC 5321 §4.1.1.4) in raw socket chunks, without copying.
//
// SMTP smuggling defence: lines end only at CRLF, and only <CRLF>.<CRLF>
// ends the data. "\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n" and any bare CR or
// LF are ordinary content. Bare CR/LF are reported, never normalised, so the
// server can refuse the message (550 5.6.11) instead of passing on data that
// another MTA would read differently.

/** RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets including CRLF (not counting a stuffed dot). */
export const MAX_TEXT_LINE = 1000;

/** The outcome of one {@link DotUnstuffer.push}. Flags and size are cumulative. */
export interface UnstuffResult {
  /** Unstuffed message bytes from this chunk, in order (views into the input; store or copy them). */
  body: Buffer[];
  /** The terminating <CRLF>.<CRLF> was seen; the decoder is finished. */
  ended: boolean;
  /** When ended: bytes after the terminator (pipelined commands), if any. */
  rest?: Buffer;
  /** A CR not followed by LF, or an LF not preceded by CR, occurred in the data. */
  bareLineEndings: boolean;
  /** A line exceeded {@link MAX_TEXT_LINE} octets including its line ending. */
  longLines: boolean;
  /** Total unstuffed octets so far (the message size as stored). */
  size: number;
}

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CR_BYTE = Buffer.from([CR]);

/** Where the decoder stands between bytes (and so between chunks). */
const State = {
  /** After CRLF, or at the start of data (the DATA command's CRLF counts). */
  LineStart: 0,
  /** After CRLF ".": the dot is held back until we know what follows. */
  Dot: 1,
  /** After CRLF ".\r": one LF away from the end of data. */
  DotCr: 2,
  /** Inside a line, previous byte not CR. */
  Text: 3,
  /** Inside a line, previous byte was CR (already emitted). */
  Cr: 4,
} as const;
type State = (typeof State)[keyof typeof State];

/**
 * Streaming DATA decoder. Feed every chunk read from the socket after the
 * 354 reply to {@link push}; store `body`; stop when `ended` and hand `rest`
 * back to the command reader. Scans with indexOf and returns subarrays, so
 * a large message costs one pass and no copying.
 */
export class DotUnstuffer {
  private state: State = State.LineStart;
  private ended = false;
  private bare = false;
  private long = false;
  private lineLength = 0;
  private total = 0;
  private longest = 0;

  /** A bare CR or LF has been seen so far. */
  get bareLineEndings(): boolean {
    return this.bare;
  }

  /** A line longer than 1000 octets has been seen so far. */
  get longLines(): boolean {
    return this.long;
  }

  /** Unstuffed octets so far. */
  get size(): number {
    return this.total;
  }

  /** Longest line so far, in octets including its line ending (for logs). */
  get longestLine(): number {
    return this.longest;
  }

  /** Decode the next chunk. Throws if called after the end of data. */
  push(chunk: Uint8Array): UnstuffResult {
    if (this.ended) throw new Error('DotUnstuffer: push after end of data');
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const body: Buffer[] = [];
    const emit = (from: number, to: number): void => {
      if (to > from) {
        body.push(buf.subarray(from, to));
        this.total += to - from;
      }
    };
    const n = buf.length;
    let pos = 0;
    let segStart = 0; // start of the bytes not yet emitted
    let nextCr = -2; // cached buf.indexOf(CR, …): -2 unknown, -1 none left
    /** Is there a CR in [from, to)? Positions only grow, so the cache keeps this linear. */
    const crIn = (from: number, to: number): boolean => {
      if (nextCr === -2 || (nextCr !== -1 && nextCr < from)) nextCr = buf.indexOf(CR, from);
      return nextCr !== -1 && nextCr < to;
    };

    while (pos < n) {
      switch (this.state) {
        case State.LineStart:
          if (buf[pos] === DOT) {
            // RFC 5321 §4.5.2: hold the leading dot; it is either stuffing or the terminator
            emit(segStart, pos);
            pos++;
            segStart = pos;
            this.state = State.Dot;
          } else {
            this.state = State.Text;
          }
          break;
        case State.Dot:
          if (buf[pos] === CR) {
            pos++;
            segStart = pos; // hold ".\r" too
            this.state = State.DotCr;
          } else {
            // RFC 5321 §4.5.2: a line starting with "." and more: delete the first dot
            this.state = State.Text;
          }
          break;
        case State.DotCr:
          if (buf[pos] === LF) {
            // RFC 5321 §4.1.1.4: <CRLF>.<CRLF> ends the data; the first CRLF belongs to the body
            this.ended = true;
            const rest = pos + 1 < n ? buf.subarray(pos + 1) : undefined;
            return { ...this.flags(), body, ended: true, ...(rest ? { rest } : {}) };
          }
          // "." CR <not LF>: the dot was stuffing, the CR is bare content
          body.push(CR_BYTE);
          this.total += 1;
          this.lineLength += 1;
          this.bare = true;
          this.state = State.Text;
          break;
        case State.Cr:
          if (buf[pos] === LF) {
            pos++;
            this.endLine(1);
            this.state = State.LineStart;
          } else {
            this.bare = true; // RFC 5321 §2.3.8: CR without LF
            this.state = State.Text;
          }
          break;
        case State.Text: {
          const lf = buf.indexOf(LF, pos);
          if (lf === -1) {
            // The line continues past this chunk. A CR before the last byte is bare.
            if (!this.bare && crIn(pos, n - 1)) this.bare = true;
            this.lineLength += n - pos;
            this.state = buf[n - 1] === CR ? State.Cr : State.Text;
            pos = n;
            break;
          }
          const crlf = lf > pos && buf[lf - 1] === CR;
          if (!this.bare && (!crlf || crIn(pos, lf - 1))) this.bare = true; // bare LF, or bare CR inside the line
          this.endLine(lf + 1 - pos);
          pos = lf + 1;
          // Only CRLF starts a new line; after a bare LF we are still "in text"
          this.state = crlf ? State.LineStart : State.Text;
          break;
        }
      }
    }
    emit(segStart, n);
    return { ...this.flags(), body, ended: false };
  }

  /** Account for the last `tail` octets of a line including its LF. */
  private endLine(tail: number): void {
    const length = this.lineLength + tail;
    if (length > this.longest) this.longest = length;
    // RFC 5321 §4.5.3.1.6: 1000 octets including CRLF (stuffed dot already dropped)
    if (length > MAX_TEXT_LINE) this.long = true;
    this.lineLength = 0;
  }

  private flags(): Pick<UnstuffResult, 'bareLineEndings' | 'longLines' | 'size'> {
    return { bareLineEndings: this.bare, longLines: this.long, size: this.total };
  }
}
