// Framing of the client's side of a POP3 connection: splits the incoming
// octet stream into command lines, with a hard limit on how much of a line is
// buffered. Pipelined commands (RFC 2449 §6.6) come out in order.

import { MAX_POP3_COMMAND_LINE } from './command-parser';

/** One framed input line, or the report that a line was too long. */
export type Pop3InputLine = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'too-long' };

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Splits client input into lines without the line end.
 *
 * RFC 1939 §3: commands end with CRLF; a bare LF is accepted too. Lines are
 * decoded as UTF-8. A line longer than `maxLineOctets` (CRLF included) is not
 * buffered: it is reported once as `too-long` and its octets are discarded up
 * to and including its line end, so the session can reply `-ERR` and carry on
 * in step with the client.
 */
export class CommandLineSplitter {
  #maxLineOctets: number;
  #pending: Buffer = EMPTY;
  #discarding = false;

  /** @param maxLineOctets See {@link CommandLineSplitter.maxLineOctets}. */
  constructor(maxLineOctets: number = MAX_POP3_COMMAND_LINE) {
    this.#maxLineOctets = validLimit(maxLineOctets);
  }

  /**
   * Longest accepted line, CRLF included. RFC 2449 §4 sets 255 for commands;
   * a session may raise it while a SASL exchange expects long responses.
   * Applies from the next push.
   *
   * @throws RangeError when set to anything but an integer of at least 3.
   */
  get maxLineOctets(): number {
    return this.#maxLineOctets;
  }

  set maxLineOctets(value: number) {
    this.#maxLineOctets = validLimit(value);
  }

  /** Octets of an unfinished line held in memory (never more than maxLineOctets). */
  get bufferedOctets(): number {
    return this.#pending.length;
  }

  /** Feeds the next chunk from the socket and returns the lines it completed. */
  push(chunk: Uint8Array): Pop3InputLine[] {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: Pop3InputLine[] = [];
    let pos = 0;
    while (pos < input.length) {
      const lf = input.indexOf(LF, pos);
      if (lf === -1) {
        this.#holdPartial(input.subarray(pos), lines);
        break;
      }
      const segment = input.subarray(pos, lf);
      pos = lf + 1;
      if (this.#discarding) {
        // The end of a line already reported as too long.
        this.#discarding = false;
        continue;
      }
      lines.push(this.#frame(segment));
      this.#pending = EMPTY;
    }
    return lines;
  }

  /** Completes the pending line with `segment` (the octets before its LF). */
  #frame(segment: Buffer): Pop3InputLine {
    const octets = this.#pending.length + segment.length;
    const lastOctet = segment.length > 0 ? segment[segment.length - 1] : this.#pending[this.#pending.length - 1];
    const textOctets = lastOctet === CR ? octets - 1 : octets;
    // RFC 2449 §4: the limit counts the CRLF, whether or not the client sent the CR.
    if (textOctets + 2 > this.#maxLineOctets) return { kind: 'too-long' };
    const line = this.#pending.length === 0 ? segment : Buffer.concat([this.#pending, segment], octets);
    return { kind: 'line', text: line.toString('utf8', 0, textOctets) };
  }

  #holdPartial(tail: Buffer, lines: Pop3InputLine[]): void {
    if (this.#discarding) return;
    const octets = this.#pending.length + tail.length;
    // The line will need at least one more octet (its LF): if that cannot fit,
    // report it now and stop buffering it.
    if (octets + 1 > this.#maxLineOctets) {
      this.#pending = EMPTY;
      this.#discarding = true;
      lines.push({ kind: 'too-long' });
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.#pending = Buffer.concat([this.#pending, tail], octets);
  }
}

function validLimit(maxLineOctets: number): number {
  if (!Number.isSafeInteger(maxLineOctets) || maxLineOctets < 3) {
    throw new RangeError('maxLineOctets must be an integer of at least 3');
  }
  return maxLineOctets;
}
