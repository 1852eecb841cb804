/**
 * Lines too long to relay: RFC 5322 §2.1.1 and RFC 5321 §4.5.3.1.6 allow
 * 998 octets before the CRLF. smtp-ingress accepts longer ones, as Postfix
 * does, so the relay looks at every message it sends once, chunk by chunk,
 * for a line over that limit. Only CRLF ends a line (RFC 5322 §2.1: a bare
 * CR or LF is refused at the door, and here it is just an octet of its line).
 */

/** RFC 5322 §2.1.1: "each line of characters MUST be no more than 998 characters ... excluding the CRLF". */
export const MAX_LINE_OCTETS = 998;

const CR = 0x0d;
const LF = 0x0a;

/**
 * Finds lines over MAX_LINE_OCTETS in a stream. With `keep` > 0 it records
 * the offsets where such lines start, the first `keep` of them (then
 * `overflow`): where they are decides what to re-encode.
 */
export class LongLineScan {
  /** Offsets (from the first octet pushed) of long lines' first octets, in order. */
  readonly starts: number[] = [];
  /** More long lines than `keep`: those after the last recorded start are not listed. */
  overflow = false;
  found = false;
  private offset = 0;
  private lineStart = 0;
  private lastWasCr = false;

  constructor(private readonly keep = 0) {}

  push(chunk: Uint8Array): void {
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, lf + 1)) {
      const afterCr = lf > 0 ? chunk[lf - 1] === CR : this.lastWasCr;
      if (!afterCr) continue;
      // the line's octets end where its CR is
      if (this.offset + lf - 1 - this.lineStart > MAX_LINE_OCTETS) this.long(this.lineStart);
      this.lineStart = this.offset + lf + 1;
    }
    if (chunk.length > 0) this.lastWasCr = chunk[chunk.length - 1] === CR;
    this.offset += chunk.length;
  }

  /** The last line, when the stream does not end with CRLF. */
  end(): void {
    if (this.offset - this.lineStart > MAX_LINE_OCTETS) this.long(this.lineStart);
  }

  /** Does a recorded (or, after the overflow, possible) long line start in [from, to)? */
  within(from: number, to: number): boolean {
    const last = this.starts[this.starts.length - 1];
    if (this.overflow && last !== undefined && to > last) return true;
    // the first recorded start at or after `from`
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.starts[mid] as number) < from) low = mid + 1;
      else high = mid;
    }
    return low < this.starts.length && (this.starts[low] as number) < to;
  }

  private long(start: number): void {
    this.found = true;
    if (this.starts.length < this.keep) this.starts.push(start);
    else if (this.keep > 0) this.overflow = true;
  }
}
