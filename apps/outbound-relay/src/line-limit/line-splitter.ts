/**
 * Lines out of a stream of chunks, in bounded memory: a line of up to
 * MAX_LINE_OCTETS comes whole (one piece, `first` and `last`); a longer one
 * comes in pieces as its octets arrive. Only CRLF ends a line (RFC 5322
 * §2.1), also when the CR and the LF are in different chunks.
 */
import { MAX_LINE_OCTETS } from './long-lines';

/** A piece of a line, without its CRLF. */
export interface LinePiece {
  /** Offset of the line's first octet in the stream. */
  readonly lineStart: number;
  /** The first piece of its line. */
  readonly first: boolean;
  /** The line ends after this piece: `crlf` with a CRLF, `eof` at the end of the stream. */
  readonly last: 'crlf' | 'eof' | false;
  readonly data: Buffer;
}

const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export class LineSplitter {
  /** Octets of the current line not handed out yet (at most a line's worth, or a CR that may start a CRLF). */
  private pending: Buffer = EMPTY;
  /** Stream offset of `pending[0]`. */
  private offset = 0;
  private lineStart = 0;
  private started = false;

  push(chunk: Uint8Array, out: LinePiece[]): void {
    const input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = this.pending.length === 0 ? input : Buffer.concat([this.pending, input]);
    const base = this.offset;
    let pos = 0;
    for (let crlf = data.indexOf('\r\n', pos); crlf >= 0; crlf = data.indexOf('\r\n', pos)) {
      out.push({ lineStart: this.lineStart, first: !this.started, last: 'crlf', data: data.subarray(pos, crlf) });
      pos = crlf + 2;
      this.lineStart = base + pos;
      this.started = false;
    }
    const rest = data.subarray(pos);
    if (!this.started && rest.length <= MAX_LINE_OCTETS) {
      this.keep(rest, base + pos);
      return;
    }
    // a long line: hand out what came, but a final CR (its LF may come next)
    const held = rest.length > 0 && rest[rest.length - 1] === CR ? 1 : 0;
    if (rest.length - held > 0 || !this.started) out.push({ lineStart: this.lineStart, first: !this.started, last: false, data: rest.subarray(0, rest.length - held) });
    this.started = true;
    this.keep(rest.subarray(rest.length - held), base + pos + rest.length - held);
  }

  /** The last line, when the stream does not end with CRLF. */
  end(out: LinePiece[]): void {
    if (this.pending.length > 0 || this.started) out.push({ lineStart: this.lineStart, first: !this.started, last: 'eof', data: this.pending });
    this.pending = EMPTY;
    this.started = false;
  }

  /** Copied: a small remainder must not pin a large chunk. */
  private keep(rest: Buffer, at: number): void {
    this.pending = rest.length === 0 ? EMPTY : Buffer.from(rest);
    this.offset = at;
  }
}
