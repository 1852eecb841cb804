/**
 * Breaking one long line into physical lines that fit, fed in pieces of any
 * size, keeping at most one physical line's worth of octets. How to break
 * is the rule's business:
 *
 * - `foldedLine` (Postfix's smtp_line_length_limit): CRLF and a space
 *   every 998 octets; a header field folded before white space where the
 *   line has some (RFC 5322 §2.2.3: unfolding removes the CRLF only);
 * - `softBrokenLine` (RFC 2045 §6.7 rule 5): "=" CRLF within 76 octets,
 *   never inside an "=XX" escape;
 * - `brokenBase64Line` (RFC 2045 §6.8): CRLF every 76 octets.
 */
import { MAX_LINE_OCTETS } from './long-lines';

/** Where a physical line ends: octets kept on it, what ends it, and the width that separator puts at the start of the next line. */
export interface Break {
  readonly keep: number;
  readonly separator: Buffer;
  readonly carry: number;
}

export interface BreakRule {
  /** Octets a physical line may hold, its separator's continuation included. */
  readonly limit: number;
  /** A break for `window`: the `room` octets that fit on the line and the first one that does not. */
  cut(window: Buffer, room: number): Break;
}

const SP = 0x20;
const HTAB = 0x09;
const EQUALS = 0x3d;
const CRLF_SPACE: Break['separator'] = Buffer.from('\r\n ');
const CRLF = Buffer.from('\r\n');
const SOFT_BREAK = Buffer.from('=\r\n');

/** RFC 2045 §6.7 rule 5, §6.8: encoded lines of at most 76 characters. */
export const ENCODED_LINE_OCTETS = 76;

/** Postfix's fold: CRLF SP at the limit (the space is what a reader's unfolding leaves behind). */
export const foldedLine: BreakRule = {
  limit: MAX_LINE_OCTETS,
  cut: (_window, room) => ({ keep: room, separator: CRLF_SPACE, carry: 1 }),
};

/** A header field line: before the last white space that leaves something on the line, else Postfix's fold. */
export const foldedHeaderLine: BreakRule = {
  limit: MAX_LINE_OCTETS,
  cut(window, room) {
    for (let i = Math.min(room, window.length - 1); i > 0; i--) {
      const octet = window[i];
      // RFC 5322 §2.2.3: fold "before" white space; the white space starts the next line
      if ((octet === SP || octet === HTAB) && hasText(window, i)) return { keep: i, separator: CRLF, carry: 0 };
    }
    return foldedLine.cut(window, room);
  },
};

/** Quoted-printable text: "=" CRLF soft breaks, "=XX" escapes kept whole. */
export const softBrokenLine: BreakRule = {
  limit: ENCODED_LINE_OCTETS,
  cut(window, room) {
    let keep = room - 1; // room for the "="
    if (window[keep - 1] === EQUALS) keep -= 1;
    else if (window[keep - 2] === EQUALS) keep -= 2;
    return { keep: Math.max(keep, 1), separator: SOFT_BREAK, carry: 0 };
  },
};

export const brokenBase64Line: BreakRule = {
  limit: ENCODED_LINE_OCTETS,
  cut: (_window, room) => ({ keep: room, separator: CRLF, carry: 0 }),
};

/** Something other than white space before `end` (a line of only white space may not be folded off, RFC 5322 §3.2.2). */
function hasText(window: Buffer, end: number): boolean {
  for (let i = 0; i < end; i++) if (window[i] !== SP && window[i] !== HTAB) return true;
  return false;
}

/** One logical line through a rule: `push` its pieces, `end` it. */
export class LineBreaker {
  private pending: Buffer = Buffer.alloc(0);
  /** Octets already on the current physical line (a continuation's space). */
  private column = 0;

  constructor(private readonly rule: BreakRule) {}

  push(piece: Buffer, out: Buffer[]): void {
    const data = this.pending.length === 0 ? piece : Buffer.concat([this.pending, piece]);
    let pos = 0;
    while (this.column + data.length - pos > this.rule.limit) {
      const room = this.rule.limit - this.column;
      const cut = this.rule.cut(data.subarray(pos, pos + room + 1), room);
      out.push(data.subarray(pos, pos + cut.keep), cut.separator);
      pos += cut.keep;
      this.column = cut.carry;
    }
    this.pending = Buffer.from(data.subarray(pos));
  }

  /** The rest of the line, and its CRLF when it had one. */
  end(ended: boolean, out: Buffer[]): void {
    if (this.pending.length > 0) out.push(this.pending);
    if (ended) out.push(CRLF);
    this.pending = Buffer.alloc(0);
    this.column = 0;
  }
}
