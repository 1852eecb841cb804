/**
 * The bench's reader of an IMAP server's responses: it splits the octet
 * stream into whole responses and counts them, keeping only each
 * response's text. A literal (RFC 9051 §4.3: `{n}` CRLF then n octets;
 * `~{n}` for literal8, RFC 3516 §4.2) is counted and skipped, never held,
 * so a FETCH of 5,000 message bodies costs the bench one line of memory.
 * The response's text keeps each literal's `{n}` announcement where it
 * stood. Pure (no sockets), so it is unit-tested over every chunking.
 */

/** One response, tagged, untagged or continuation, as it came. */
export interface ImapResponse {
  /** Its text without CRLFs and without the literals' octets (their `{n}` kept). */
  readonly text: string;
  /** Octets of the literals it carried. */
  readonly literalOctets: number;
  /** Octets of the whole response on the wire: lines, CRLFs and literals. */
  readonly octets: number;
}

export class ImapResponseTooLongError extends Error {
  override name = 'ImapResponseTooLongError';
}

// RFC 9051 §4.3, §9 (literal = "{" number64 ["+"] "}" CRLF *CHAR8; a server sends no "+")
const literalAnnouncement = /~?\{(\d+)\}$/;
const lineFeed = 0x0a;

export class ImapResponseReader {
  /** The current line's octets not yet ended by an LF. */
  #partial: Buffer[] = [];
  #partialOctets = 0;
  /** Text of the current response's lines that ended with a literal. */
  #text = '';
  #literalLeft = 0;
  #literalOctets = 0;
  #octets = 0;

  /** `maxLineOctets`: a line (between literals) longer than this is a broken server, not a response. */
  constructor(
    private readonly onResponse: (response: ImapResponse) => void,
    private readonly maxLineOctets = 1024 * 1024,
  ) {}

  /** Takes the next octets from the server; calls onResponse for each response they complete. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#literalLeft > 0) {
        const skipped = Math.min(this.#literalLeft, chunk.length - offset);
        this.#literalLeft -= skipped;
        this.#octets += skipped;
        offset += skipped;
        continue;
      }
      const end = chunk.indexOf(lineFeed, offset);
      if (end < 0) {
        this.#keepPartial(chunk.subarray(offset));
        return;
      }
      this.#octets += end + 1 - offset;
      const line = this.#takeLine(chunk.subarray(offset, end + 1));
      offset = end + 1;
      this.#endLine(line);
    }
  }

  /** True between responses: nothing of a response is pending. */
  get idle(): boolean {
    return this.#partialOctets === 0 && this.#literalLeft === 0 && this.#text === '';
  }

  #keepPartial(piece: Buffer): void {
    this.#partialOctets += piece.length;
    this.#octets += piece.length;
    if (this.#partialOctets > this.maxLineOctets) throw new ImapResponseTooLongError(`an IMAP response line over ${this.maxLineOctets} octets`);
    // a copy: the socket's chunk (up to 64 KiB) is not kept alive for a few octets
    this.#partial.push(Buffer.from(piece));
  }

  /** The line's text without its CRLF (RFC 9051 §2.2: lines end with CRLF; a bare LF is taken too). */
  #takeLine(tail: Buffer): string {
    const whole = this.#partial.length === 0 ? tail : Buffer.concat([...this.#partial, tail]);
    this.#partial = [];
    this.#partialOctets = 0;
    const length = whole.length >= 2 && whole[whole.length - 2] === 0x0d ? whole.length - 2 : whole.length - 1;
    return whole.toString('utf8', 0, length);
  }

  #endLine(line: string): void {
    const literal = literalAnnouncement.exec(line);
    if (literal) {
      // the response goes on after the literal's octets
      this.#text += line;
      this.#literalLeft = Number(literal[1]);
      this.#literalOctets += this.#literalLeft;
      return;
    }
    const response: ImapResponse = { text: this.#text + line, literalOctets: this.#literalOctets, octets: this.#octets };
    this.#text = '';
    this.#literalOctets = 0;
    this.#octets = 0;
    this.onResponse(response);
  }
}
