/**
 * Quoted-printable encoding (RFC 2045 §6.7) of one text line at a time, fed
 * in pieces: printable ASCII but "=" stays itself (rule 2), other octets
 * become "=XX" (rule 1), white space stays except at the end of the line
 * (rule 3), the line's CRLF stays a hard line break (rule 4), and "=" CRLF
 * soft breaks keep every encoded line within 76 characters (rule 5).
 */
import { ENCODED_LINE_OCTETS } from './line-breaker';

const SP = 0x20;
const HTAB = 0x09;
const EQUALS = 0x3d;
const HEX = Buffer.from('0123456789ABCDEF');

/** Characters before a soft break: the "=" makes the 76th. */
const SOFT_LINE_TEXT = ENCODED_LINE_OCTETS - 1;

export class QuotedPrintableLine {
  private column = 0;
  /** White space seen last: literal if more follows on the line, encoded if the line ends (rule 3). */
  private pendingSpace: number | undefined;

  /** Encodes a piece of the line. */
  push(piece: Buffer, out: Buffer[]): void {
    // at most 3 octets per octet, plus a soft break ("=" CRLF) per 25 octets of output
    const encoded = Buffer.allocUnsafe(piece.length * 3 + Math.ceil((piece.length * 3) / 25) * 3 + 6);
    let at = 0;
    const token = (length: number, a: number, b = 0, c = 0) => {
      if (this.column + length > SOFT_LINE_TEXT) {
        encoded[at++] = EQUALS;
        encoded[at++] = 0x0d;
        encoded[at++] = 0x0a;
        this.column = 0;
      }
      encoded[at++] = a;
      if (length > 1) {
        encoded[at++] = b;
        encoded[at++] = c;
      }
      this.column += length;
    };
    for (const octet of piece) {
      if (this.pendingSpace !== undefined) token(1, this.pendingSpace);
      this.pendingSpace = undefined;
      if (octet === SP || octet === HTAB) this.pendingSpace = octet;
      else if (octet >= 33 && octet <= 126 && octet !== EQUALS) token(1, octet);
      else token(3, EQUALS, HEX[octet >> 4] as number, HEX[octet & 15] as number);
    }
    if (at > 0) out.push(encoded.subarray(0, at));
  }

  /** Ends the line: trailing white space encoded (rule 3), then the hard line break if it had one. */
  end(ended: boolean, out: Buffer[]): void {
    const space = this.pendingSpace;
    this.pendingSpace = undefined;
    if (space !== undefined) {
      const escape = Buffer.from([EQUALS, HEX[space >> 4] as number, HEX[space & 15] as number]);
      out.push(this.column + 3 > SOFT_LINE_TEXT ? Buffer.concat([Buffer.from('=\r\n'), escape]) : escape);
    }
    if (ended) out.push(Buffer.from('\r\n'));
    this.column = 0;
  }
}
