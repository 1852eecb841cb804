// Framing of the client's side of a POP3 connection: splits the incoming
// octet stream into command lines, with a hard limit on how much of a line is
// buffered. Pipelined commands (RFC 2449 §6.6) come out in order.

import { MAX_POP3_COMMAND_LINE } from './command-parser';

/** One framed input line, or the report that a line was too long. */
export type Pop3InputLine =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'too-long' };

const LF = 0x0a;
const CR = 0x0d;

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
  /**
   * Longest accepted line, CRLF included. RFC 2449 §4 sets 255 for commands;
   * a session may raise it while a SASL exchange expects long responses.
   */
  maxLineOctets: number;
  #pending: Buffer[] = [];
  #pendingOctets = 0;
  #discarding = false;

  constructor(maxLineOctets: number = MAX_POP3_COMMAND_LINE) {
    if (!Number.isSafeInteger(maxLineOctets) || maxLineOctets < 3) {
      throw new RangeError('maxLineOctets must be an integer of at least 3');
    }
    this.maxLineOctets = maxLineOctets;
  }

  /** Octets of an unfinished line held in memory (never more than maxLineOctets). */
  get bufferedOctets(): number {
    return this.#pendingOctets;
  }

  /** Feeds the next chunk from the socket and returns the lines it completed. */
  push(chunk: Uint8Array): Pop3InputLine[] {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: Pop3InputLine[] = [];
    let pos = 0;
    for (let lf = input.indexOf(LF); lf !== -1; lf = input.indexOf(LF, pos)) {
      const segment = input.subarray(pos, lf);
      pos = lf + 1;
      if (this.#discarding) {
        this.#discarding = false;
        continue;
      }
      const line = this.#takeLine(segment);
      lines.push(line);
    }
    this.#keepTail(input.subarray(pos), lines);
    return lines;
  }

  #takeLine(segment: Buffer): Pop3InputLine {
    const parts = this.#pendingOctets === 0 ? [segment] : [...this.#pending, segment];
    const octets = this.#pendingOctets + segment.length;
    this.#pending = [];
    this.#pendingOctets = 0;
    const lastPart = parts[parts.length - 1];
    const endsWithCr = lastPart !== undefined && lastPart.length > 0
      ? lastPart[lastPart.length - 1] === CR
      : this.#lastPendingOctetIsCr(parts);
    const textOctets = endsWithCr ? octets - 1 : octets;
    // RFC 2449 §4: the limit counts the CRLF, whether or not the client sent the CR.
    if (textOctets + 2 > this.maxLineOctets) return { kind: 'too-long' };
    const joined = parts.length === 1 && segment.length === octets ? segment : Buffer.concat(parts, octets);
    return { kind: 'line', text: joined.toString('utf8', 0, textOctets) };
  }

  #lastPendingOctetIsCr(parts: readonly Buffer[]): boolean {
    for (let i = parts.length - 1; i >= 0; i -= 1) {
      const part = parts[i];
      if (part !== undefined && part.length > 0) return part[part.length - 1] === CR;
    }
    return false;
  }

  #keepTail(tail: Buffer, lines: Pop3InputLine[]): void {
    if (tail.length === 0 || this.#discarding) return;
    // A line without its LF yet: keep it, unless it is already too long
    // (maxLineOctets - 1 leaves room for the LF; a trailing CR may be part of CRLF).
    if (this.#pendingOctets + tail.length > this.maxLineOctets - 1) {
      this.#pending = [];
      this.#pendingOctets = 0;
      this.#discarding = true;
      lines.push({ kind: 'too-long' });
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.#pending.push(Buffer.from(tail));
    this.#pendingOctets += tail.length;
  }
}
