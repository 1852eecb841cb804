/**
 * The message as it may be relayed: every line within 998 octets (RFC 5322
 * §2.1.1, RFC 5321 §4.5.3.1.6), changed as its plan says
 * (line-limit-plan.ts), streamed in chunks of about 64 KiB; a short line
 * outside a re-encoded part passes unchanged.
 */
import { foldedHeaderLine, foldedLine, brokenBase64Line, softBrokenLine, LineBreaker, type BreakRule } from './line-breaker';
import type { LineLimitPlan, Region, RegionKind } from './line-limit-plan';
import { LineSplitter, type LinePiece } from './line-splitter';
import { MAX_LINE_OCTETS } from './long-lines';
import { QuotedPrintableLine } from './quoted-printable';

/** Output gathered before it is handed on (one socket write, not one per line). */
const OUTPUT_CHUNK = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const ADDED_ENCODING = Buffer.from('Content-Transfer-Encoding: quoted-printable\r\n');
// RFC 2045 §4: a message with MIME content says so
const ADDED_VERSION = Buffer.from('MIME-Version: 1.0\r\n');

/** What handles the pieces of one line. */
interface LineEncoder {
  push(piece: Buffer, out: Buffer[]): void;
  end(ended: boolean, out: Buffer[]): void;
}

const breakRules: Partial<Record<RegionKind, BreakRule>> = {
  header: foldedHeaderLine,
  'part-header-reencoded': foldedHeaderLine,
  'message-header-reencoded': foldedHeaderLine,
  'quoted-printable-break': softBrokenLine,
  'base64-break': brokenBase64Line,
};

export async function* conformLines(chunks: AsyncIterable<Uint8Array>, plan: LineLimitPlan): AsyncGenerator<Buffer> {
  const lines = new Lines(plan.regions);
  const splitter = new LineSplitter();
  const pieces: LinePiece[] = [];
  let out: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    splitter.push(chunk, pieces);
    for (const piece of pieces) size = lines.take(piece, out, size);
    pieces.length = 0;
    if (size >= OUTPUT_CHUNK) {
      yield Buffer.concat(out);
      out = [];
      size = 0;
    }
  }
  splitter.end(pieces);
  for (const piece of pieces) lines.take(piece, out, size);
  if (out.length > 0) yield Buffer.concat(out);
}

/** Line by line through the regions of the plan. */
class Lines {
  private next = 0;
  private encoder: LineEncoder | undefined;
  /** In a re-encoded header, the current field is one to drop (with its folded lines). */
  private dropping = false;

  constructor(private readonly regions: readonly Region[]) {}

  /** Handles a piece; returns the output size so far. */
  take(piece: LinePiece, out: Buffer[], size: number): number {
    const before = out.length;
    if (piece.first) this.startLine(piece, out);
    if (this.encoder) {
      this.encoder.push(piece.data, out);
      if (piece.last) this.encoder.end(piece.last === 'crlf', out);
    } else if (!this.dropping) {
      out.push(piece.data);
      if (piece.last === 'crlf') out.push(CRLF);
    }
    if (piece.last) this.encoder = undefined;
    for (let i = before; i < out.length; i++) size += (out[i] as Buffer).length;
    return size;
  }

  private startLine(piece: LinePiece, out: Buffer[]): void {
    const kind = this.regionAt(piece.lineStart)?.kind;
    const whole = piece.last !== false;
    if (kind === 'part-header-reencoded' || kind === 'message-header-reencoded') {
      if (whole && piece.data.length === 0) {
        // the empty line ending the header: the new fields go just before it
        out.push(ADDED_ENCODING);
        if (kind === 'message-header-reencoded') out.push(ADDED_VERSION);
        this.dropping = false;
        return;
      }
      this.dropping = droppedField(piece.data, kind, this.dropping);
      if (this.dropping) return;
    } else {
      this.dropping = false;
    }
    if (kind === 'quoted-printable-encode') {
      this.encoder = new QuotedPrintableLine();
      return;
    }
    // a short line passes as it is
    if (whole && piece.data.length <= MAX_LINE_OCTETS) return;
    this.encoder = new LineBreaker((kind && breakRules[kind]) ?? foldedLine);
  }

  private regionAt(offset: number): Region | undefined {
    while (this.next < this.regions.length && (this.regions[this.next] as Region).end <= offset) this.next++;
    const region = this.regions[this.next];
    return region && region.start <= offset ? region : undefined;
  }
}

/** Is this header line (the start of a field, or a folded continuation) part of a field the re-encoding replaces? */
function droppedField(line: Buffer, kind: RegionKind, dropping: boolean): boolean {
  // RFC 5322 §2.2.3: a line starting with white space continues the field before
  if (line[0] === 0x20 || line[0] === 0x09) return dropping;
  const colon = line.indexOf(0x3a);
  const name = (colon > 0 ? line.subarray(0, colon) : line.subarray(0, 0)).toString('latin1').trim().toLowerCase();
  return name === 'content-transfer-encoding' || (kind === 'message-header-reencoded' && name === 'mime-version');
}
