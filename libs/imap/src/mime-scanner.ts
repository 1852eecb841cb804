// A streaming scanner of a message's MIME structure (RFC 5322 §2.1 header
// and body, RFC 2045, RFC 2046 §5.1 multipart boundaries, §5.2.1
// message/rfc822): fed the raw octets in chunks of any size, it computes the
// MimePart tree with the offsets of every part's header and body, its line
// count and the fields BODYSTRUCTURE and ENVELOPE report. It keeps a bounded
// part of the input: at most one line prefix and each part's interesting
// header fields, so a message of any size is scanned in bounded memory.

import { collectHeaderLine, newHeaderCollector, partFromHeader, type HeaderCollector } from './mime-part-header';
import { DEFAULT_CONTENT_TYPE, DIGEST_DEFAULT_CONTENT_TYPE, isEncapsulatedMessage, type ContentType, type MimePart } from './mime-structure';

/** Bounds of one scan. */
export interface MimeScannerLimits {
  /** Octets of header fields kept per part (the fields are read from the first ones). Default 65536. */
  readonly maxHeaderOctets: number;
  /** Nesting of multiparts and encapsulated messages; deeper ones are scanned as single parts. Default 32. */
  readonly maxDepth: number;
  /** Parts in the whole message; further boundaries are read as body text. Default 5000. */
  readonly maxParts: number;
}

export const DEFAULT_MIME_SCANNER_LIMITS: MimeScannerLimits = { maxHeaderOctets: 65_536, maxDepth: 32, maxParts: 5000 };

// Octets of a body line kept for the boundary test: RFC 2046 §5.1.1 boundaries are at most 70 characters, plus "--" twice and transport padding
const BOUNDARY_LINE_KEEP = 1024;
const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;

interface Frame {
  readonly headerOffset: number;
  /** The root and encapsulated messages (their header gives an envelope). */
  readonly isMessage: boolean;
  /** The type a part without Content-Type has here (RFC 2046 §5.1.5: message/rfc822 in a digest). */
  readonly defaultType: ContentType;
  readonly depth: number;
  state: 'header' | 'body' | 'preamble' | 'epilogue';
  header: HeaderCollector | undefined;
  fields: ReturnType<typeof partFromHeader> | undefined;
  bodyOffset: number;
  /** "--boundary" while the multipart awaits its delimiters. */
  boundary: Buffer | undefined;
  multipart: boolean;
  childType: ContentType;
  readonly children: MimePart[];
  /** The encapsulated message of a message/rfc822 part, once closed. */
  message: MimePart | undefined;
  completeLines: number;
  lastContent: number;
}

/**
 * Incremental MIME structure scanner: `push` chunks, then `end()` returns
 * the root part (the message). Offsets count from the first octet pushed.
 */
export class MimeScanner {
  readonly #limits: MimeScannerLimits;
  readonly #stack: Frame[] = [];
  #offset = 0; // octets consumed
  #lineStart = 0;
  #lineKept: Buffer[] = [];
  #lineKeptLength = 0;
  #lineKeepLimit = 0;
  #lineLength = 0;
  #lastOctet = -1;
  #secondLastOctet = -1;
  #previousEol = 0; // RFC 2046 §5.1.1: the line break before a boundary belongs to the boundary
  #parts = 1;
  #root: MimePart | undefined;

  constructor(limits: Partial<MimeScannerLimits> = {}) {
    this.#limits = { ...DEFAULT_MIME_SCANNER_LIMITS, ...limits };
    this.#stack.push(this.#frame(0, DEFAULT_CONTENT_TYPE, 0, true));
    this.#startLine(0);
  }

  /** Octets scanned so far. */
  get size(): number {
    return this.#offset;
  }

  push(chunk: Uint8Array): void {
    if (this.#root !== undefined) throw new Error('MimeScanner: push after end');
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    while (from < data.length) {
      const lf = data.indexOf(LF, from);
      const to = lf < 0 ? data.length : lf + 1;
      this.#take(data.subarray(from, to));
      this.#offset += to - from;
      from = to;
      if (lf >= 0) this.#endLine(true);
    }
  }

  /** Finishes the scan and returns the message's structure. */
  end(): MimePart {
    if (this.#root === undefined) {
      if (this.#lineLength > 0) this.#endLine(false);
      while (this.#stack.length > 0) this.#close(this.#offset, false);
    }
    return this.#root as MimePart;
  }

  #frame(headerOffset: number, defaultType: ContentType, depth: number, isMessage: boolean): Frame {
    return {
      headerOffset,
      isMessage,
      defaultType,
      depth,
      state: 'header',
      header: newHeaderCollector(),
      fields: undefined,
      bodyOffset: headerOffset,
      boundary: undefined,
      multipart: false,
      childType: DEFAULT_CONTENT_TYPE,
      children: [],
      message: undefined,
      completeLines: 0,
      lastContent: 0,
    };
  }

  #top(): Frame {
    return this.#stack[this.#stack.length - 1] as Frame;
  }

  #startLine(at: number): void {
    this.#lineStart = at;
    this.#lineKept = [];
    this.#lineKeptLength = 0;
    this.#lineLength = 0;
    this.#lastOctet = -1;
    this.#secondLastOctet = -1;
    this.#lineKeepLimit = this.#top().state === 'header' ? this.#limits.maxHeaderOctets : BOUNDARY_LINE_KEEP;
  }

  #take(piece: Buffer): void {
    // a body line is kept only while it may be a boundary (it starts with "-"); header lines up to the budget
    const keep = this.#lineKeepLimit - this.#lineKeptLength;
    const mayMatter = this.#top().state === 'header' || (this.#lineLength === 0 ? piece[0] === DASH : this.#lineKeptLength === this.#lineLength);
    if (keep > 0 && mayMatter) {
      const kept = piece.subarray(0, keep);
      this.#lineKept.push(kept);
      this.#lineKeptLength += kept.length;
    }
    this.#lineLength += piece.length;
    this.#secondLastOctet = piece.length >= 2 ? (piece[piece.length - 2] as number) : this.#lastOctet;
    this.#lastOctet = piece[piece.length - 1] as number;
  }

  #endLine(hasLf: boolean): void {
    // RFC 5322 §2.1: lines end with CRLF; a bare LF is read as a line end too
    const eol = !hasLf ? 0 : this.#secondLastOctet === CR ? 2 : 1;
    const contentLength = this.#lineLength - eol;
    const kept = this.#lineKept.length === 1 ? (this.#lineKept[0] as Buffer) : Buffer.concat(this.#lineKept, this.#lineKeptLength);
    const content = kept.subarray(0, Math.min(kept.length, contentLength));
    this.#line(content, contentLength === content.length, contentLength, eol);
    this.#previousEol = eol;
    this.#startLine(this.#offset);
  }

  #line(content: Buffer, whole: boolean, contentLength: number, eol: number): void {
    const start = this.#lineStart;
    const match = whole ? this.#boundaryMatch(content) : undefined;
    if (match !== undefined) while (this.#stack.length - 1 > match.index) this.#close(start - this.#previousEol, true);
    for (const frame of this.#stack) {
      if (frame.state === 'header') continue;
      // a last line without a line break still counts when it has content
      frame.completeLines += eol > 0 || contentLength > 0 ? 1 : 0;
      frame.lastContent = contentLength;
    }
    if (match !== undefined) {
      this.#delimiter(match.index, match.close);
      return;
    }
    const top = this.#top();
    if (top.state !== 'header') return;
    if (contentLength === 0) this.#headerEnd(top, start + eol);
    else collectHeaderLine(top.header as HeaderCollector, content, this.#limits.maxHeaderOctets);
  }

  #boundaryMatch(content: Buffer): { index: number; close: boolean } | undefined {
    if (content.length < 3 || content[0] !== DASH || content[1] !== DASH) return undefined;
    for (let i = this.#stack.length - 1; i >= 0; i--) {
      const boundary = (this.#stack[i] as Frame).boundary;
      if (boundary === undefined || content.length < boundary.length || !content.subarray(0, boundary.length).equals(boundary)) continue;
      let rest = content.subarray(boundary.length);
      const close = rest.length >= 2 && rest[0] === DASH && rest[1] === DASH;
      if (close) rest = rest.subarray(2);
      // RFC 2046 §5.1.1: transport-padding (LWSP) may follow the boundary
      if (rest.every((o) => o === 0x20 || o === 0x09)) return { index: i, close };
    }
    return undefined;
  }

  /** A delimiter line of the multipart at `index` (deeper parts already closed): a new part starts after it, or the epilogue. */
  #delimiter(index: number, close: boolean): void {
    const multipart = this.#stack[index] as Frame;
    if (close) {
      // RFC 2046 §5.1.1: after the close-delimiter comes the epilogue, to be ignored
      multipart.state = 'epilogue';
      multipart.boundary = undefined;
      return;
    }
    multipart.state = 'body';
    if (this.#parts >= this.#limits.maxParts) return;
    this.#stack.push(this.#frame(this.#offset, multipart.childType, multipart.depth + 1, false));
    this.#parts++;
  }

  #headerEnd(frame: Frame, bodyOffset: number): void {
    frame.state = 'body';
    frame.bodyOffset = bodyOffset;
    frame.fields = partFromHeader(frame.header as HeaderCollector, frame.defaultType, frame.isMessage);
    frame.header = undefined;
    const type = frame.fields.contentType;
    const nestable = frame.depth < this.#limits.maxDepth && this.#parts < this.#limits.maxParts;
    const boundary = type.type === 'multipart' ? type.parameters.find(([n]) => n === 'boundary')?.[1] : undefined;
    if (nestable && boundary !== undefined && boundary !== '') {
      frame.state = 'preamble';
      frame.multipart = true;
      frame.boundary = Buffer.from(`--${boundary}`, 'utf8');
      frame.childType = type.subtype === 'digest' ? DIGEST_DEFAULT_CONTENT_TYPE : DEFAULT_CONTENT_TYPE;
    } else if (nestable && isEncapsulatedMessage(type)) {
      // RFC 2046 §5.2.1: the body is a whole message, header first
      this.#stack.push(this.#frame(bodyOffset, DEFAULT_CONTENT_TYPE, frame.depth + 1, true));
      this.#parts++;
    }
  }

  /** Closes the innermost frame at `end`; `atBoundary` when a boundary line follows. */
  #close(end: number, atBoundary: boolean): void {
    const frame = this.#stack.pop() as Frame;
    if (frame.state === 'header') {
      // the header never ended: all of it is header, the body is empty
      frame.fields = partFromHeader(frame.header as HeaderCollector, frame.defaultType, frame.isMessage);
      frame.bodyOffset = Math.max(frame.headerOffset, end);
    }
    let lines = frame.completeLines;
    // RFC 2046 §5.1.1: the last line break belongs to the boundary; an empty last line is then no line
    if (atBoundary && lines > 0 && frame.lastContent === 0) lines -= 1;
    const part: MimePart = {
      ...(frame.fields as ReturnType<typeof partFromHeader>),
      headerOffset: frame.headerOffset,
      bodyOffset: frame.bodyOffset,
      endOffset: Math.max(frame.bodyOffset, end),
      lines,
      ...(frame.multipart ? { parts: frame.children } : {}),
      ...(frame.message === undefined ? {} : { message: frame.message }),
    };
    const parent = this.#stack[this.#stack.length - 1];
    if (parent === undefined) this.#root = part;
    else if (frame.isMessage) parent.message = part;
    else parent.children.push(part);
  }
}
