// Multi-line response framing (RFC 1939 §3): byte-stuffing of lines that
// start with the termination octet ".", and the ".CRLF" terminator.
//
// The encoder streams: message bodies of tens of MiB pass through in chunks,
// are scanned with indexOf, and are copied at most once per chunk (not at all
// when a chunk needs no stuffing).

const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;
const LF_DOT = Buffer.from('\n.', 'latin1');
const STUFFED_DOT = Buffer.from('.', 'latin1');
const TERMINATOR = Buffer.from('.\r\n', 'latin1');
const CRLF_TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

/**
 * Streaming encoder for the body of a multi-line response (RETR, TOP).
 *
 * RFC 1939 §3: each line that starts with "." is sent with one more "." in
 * front, and the response ends with a line holding a single ".". A line
 * start is recognized after every LF, not only after CRLF, so even a client
 * that splits lines on a bare LF can never see a premature terminator; for
 * CRLF content this is exactly the RFC rule.
 *
 * Usage: write the `+OK` status line, then `push()` each chunk of the body
 * and write what it returns, then write `end()`.
 */
export class MultilineEncoder {
  #atLineStart = true;
  #octetsIn = 0;
  #lastTwo = 0; // the last two octets seen, as (previous << 8) | last
  #ended = false;

  /**
   * Encodes the next chunk of the body.
   *
   * Returns the chunk itself (a view, not a copy) when it needs no stuffing,
   * so the caller must not modify the input afterwards; otherwise a new
   * buffer built with one concatenation.
   *
   * @throws Error if called after {@link end}.
   */
  push(chunk: Uint8Array): Buffer {
    if (this.#ended) throw new Error('MultilineEncoder.push() called after end()');
    const input = asBuffer(chunk);
    if (input.length === 0) return EMPTY;

    const parts: Buffer[] = [];
    let start = 0;
    // RFC 1939 §3: a line that begins with "." gets a second ".". The line may
    // have begun in the previous chunk's final LF.
    if (this.#atLineStart && input[0] === DOT) parts.push(STUFFED_DOT);
    for (let hit = input.indexOf(LF_DOT); hit !== -1; hit = input.indexOf(LF_DOT, hit + 1)) {
      // Emit through the dot, then restart at the same dot: it goes out twice.
      parts.push(input.subarray(start, hit + 2));
      start = hit + 1;
    }

    this.#track(input);
    if (parts.length === 0) return input;
    parts.push(input.subarray(start));
    return Buffer.concat(parts);
  }

  /**
   * Finishes the response and returns its last octets: `.\r\n`, preceded by
   * CRLF when the body did not already end with CRLF (RFC 1939 §3: the
   * terminator is a line of its own). An empty body gives just `.\r\n`.
   *
   * @throws Error if called twice.
   */
  end(): Buffer {
    if (this.#ended) throw new Error('MultilineEncoder.end() called twice');
    this.#ended = true;
    const endsWithCrlf = this.#lastTwo === ((CR << 8) | LF);
    return this.#octetsIn === 0 || endsWithCrlf ? TERMINATOR : CRLF_TERMINATOR;
  }

  #track(input: Buffer): void {
    const last = input[input.length - 1] ?? 0;
    const previous = input.length >= 2 ? (input[input.length - 2] ?? 0) : this.#lastTwo & 0xff;
    this.#lastTwo = (previous << 8) | last;
    this.#atLineStart = last === LF;
    this.#octetsIn += input.length;
  }
}

/**
 * Encodes a whole body at once: the stuffed body followed by the terminator.
 * For large messages prefer {@link MultilineEncoder} over chunks.
 */
export function encodeMultiline(body: Uint8Array): Buffer {
  return encodeMultilineResponse('', body);
}

/**
 * A whole multi-line response in one buffer: `statusLine` (CRLF included,
 * written as UTF-8), the body byte-stuffed, and the terminator line (RFC
 * 1939 §3), exactly as {@link MultilineEncoder} would frame the body. One
 * allocation and one copy of the body, for a message already in hand whole
 * (POP3 RETR of a prefetched message): the body is scanned twice with
 * indexOf, once to size the result and once to copy it.
 */
export function encodeMultilineResponse(statusLine: string, body: Uint8Array): Buffer {
  const input = asBuffer(body);
  // RFC 1939 §3: every line that begins with "." gets one more: the first line, and each line after an LF.
  let stuffed = input[0] === DOT ? 1 : 0;
  for (let hit = input.indexOf(LF_DOT); hit !== -1; hit = input.indexOf(LF_DOT, hit + 1)) stuffed += 1;
  // RFC 1939 §3: the terminator is a line of its own, so a body not ending in CRLF gets one first.
  const endsWithCrlf = input.length >= 2 && input[input.length - 2] === CR && input[input.length - 1] === LF;
  const terminator = input.length === 0 || endsWithCrlf ? TERMINATOR : CRLF_TERMINATOR;
  const statusOctets = Buffer.byteLength(statusLine);
  const out = Buffer.allocUnsafe(statusOctets + input.length + stuffed + terminator.length);
  let at = out.write(statusLine, 0, 'utf8');
  if (stuffed === 0) {
    at += input.copy(out, at);
  } else {
    let start = 0;
    if (input[0] === DOT) out[at++] = DOT;
    for (let hit = input.indexOf(LF_DOT); hit !== -1; hit = input.indexOf(LF_DOT, hit + 1)) {
      // Through the LF, then the extra dot; the line's own dot follows with the next piece.
      at += input.copy(out, at, start, hit + 1);
      out[at++] = DOT;
      start = hit + 1;
    }
    at += input.copy(out, at, start);
  }
  terminator.copy(out, at);
  return out;
}

/**
 * Client-side decoder of a multi-line response body (after the status line):
 * removes the stuffed "." from each line that starts with one and stops at
 * the terminator line, which is not part of the result. Octets after the
 * terminator are ignored.
 *
 * RFC 1939 §3: a line starting with "." is either the terminator (when "."
 * is directly followed by CRLF) or has its first "." removed. Line starts are
 * recognized after every LF, mirroring {@link MultilineEncoder}; for CRLF
 * content this is the RFC rule.
 *
 * @throws SyntaxError if `buf` holds no terminator line.
 */
export function unstuffMultiline(buf: Uint8Array): Buffer {
  const input = asBuffer(buf);
  const parts: Buffer[] = [];
  let copyFrom = 0;
  // Visit every line start that holds a ".": position 0, and each "\n.".
  let dot = input[0] === DOT ? 0 : nextLineStartDot(input, 0);
  while (dot !== -1) {
    if (input[dot + 1] === CR && input[dot + 2] === LF && isAfterCrlfOrAtStart(input, dot)) {
      parts.push(input.subarray(copyFrom, dot));
      return Buffer.concat(parts);
    }
    // A stuffed line: drop the first ".".
    parts.push(input.subarray(copyFrom, dot));
    copyFrom = dot + 1;
    dot = nextLineStartDot(input, dot + 1);
  }
  throw new SyntaxError('multi-line response has no terminating ".\\r\\n" line');
}

function nextLineStartDot(input: Buffer, from: number): number {
  const hit = input.indexOf(LF_DOT, from);
  return hit === -1 ? -1 : hit + 1;
}

// RFC 1939 §3: the terminator is CRLF "." CRLF, i.e. a "." line after a CRLF
// line end (or as the very first line of an empty body).
function isAfterCrlfOrAtStart(input: Buffer, dot: number): boolean {
  return dot === 0 || (input[dot - 1] === LF && input[dot - 2] === CR);
}

/**
 * Serializes the body of a multi-line listing (LIST, UIDL, CAPA): each line
 * with CRLF, stuffed when it starts with ".", then the `.\r\n` terminator
 * (RFC 1939 §3). The caller writes the `+OK` status line before it.
 *
 * @throws RangeError if a line contains CR or LF (a programming error that
 *   would corrupt the framing).
 */
export function formatListing(lines: readonly string[]): string {
  let out = '';
  for (const line of lines) {
    if (line.includes('\r') || line.includes('\n')) {
      throw new RangeError('a listing line must not contain CR or LF');
    }
    // RFC 1939 §3: byte-stuff lines that begin with the termination octet.
    out += (line.startsWith('.') ? `.${line}` : line) + '\r\n';
  }
  return `${out}.\r\n`;
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
