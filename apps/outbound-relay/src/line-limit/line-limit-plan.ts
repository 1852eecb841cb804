/**
 * What to change in a message with lines over 998 octets, decided from its
 * MIME structure (RFC 2045, RFC 2046; @mail/imap's streaming scanner gives
 * every part's header and body offsets) before a single octet is sent, so
 * the header of a part can announce its new encoding:
 *
 * - a text/* leaf (or a message without MIME, RFC 2045 §5.2: text/plain)
 *   in 7bit or 8bit with a long line is re-encoded as quoted-printable
 *   (RFC 2045 §6.7: soft line breaks keep its decoded content), its
 *   Content-Transfer-Encoding field replaced (MIME-Version added on a message);
 * - a quoted-printable leaf gets soft line breaks, a base64 leaf plain line
 *   breaks (RFC 2045 §6.8: decoders ignore them): both decode the same;
 * - header fields are folded at white space (RFC 5322 §2.2.3);
 * - anything else (binary or other types in 8bit, preamble, epilogue) is
 *   folded as Postfix does (smtp_line_length_limit): CRLF and a space.
 *
 * Regions carry absolute offsets in the message as it goes out without
 * the DKIM-Signature field (trace header lines and the stored message).
 */
import { MimeScanner, type MimePart } from '@mail/imap';
import { LongLineScan } from './long-lines';

export type RegionKind =
  /** Header fields: long ones folded at white space. */
  | 'header'
  /** The header of a part re-encoded: Content-Transfer-Encoding replaced. */
  | 'part-header-reencoded'
  /** The header of a message re-encoded: MIME-Version and Content-Transfer-Encoding replaced. */
  | 'message-header-reencoded'
  /** A text body re-encoded as quoted-printable. */
  | 'quoted-printable-encode'
  /** A quoted-printable body: soft line breaks in long lines. */
  | 'quoted-printable-break'
  /** A base64 body: line breaks in long lines. */
  | 'base64-break';

/** [start, end) in octets; a line belongs to the region its first octet is in. */
export interface Region {
  readonly start: number;
  readonly end: number;
  readonly kind: RegionKind;
}

/** Regions in order, not overlapping; lines outside every region are folded (CRLF SP) when long. */
export interface LineLimitPlan {
  readonly regions: readonly Region[];
}

/** Long-line starts remembered while planning; beyond, every later eligible part is re-encoded (harmless, only more work). */
const KEPT_LONG_LINES = 10_000;

/** Reads the message once: its MIME structure and where its long lines are. */
export async function planLineLimits(chunks: AsyncIterable<Uint8Array>): Promise<LineLimitPlan> {
  const scanner = new MimeScanner();
  const lines = new LongLineScan(KEPT_LONG_LINES);
  for await (const chunk of chunks) {
    scanner.push(chunk);
    lines.push(chunk);
  }
  lines.end();
  return planFor(scanner.end(), lines);
}

/** The regions of a scanned message. */
export function planFor(root: MimePart, lines: LongLineScan): LineLimitPlan {
  const regions: Region[] = [];
  visit(root, lines, regions);
  return { regions: regions.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start) };
}

function visit(part: MimePart, lines: LongLineScan, regions: Region[]): void {
  const header = { start: part.headerOffset, end: part.bodyOffset };
  if (part.parts || part.message) {
    regions.push({ ...header, kind: 'header' });
    for (const child of part.parts ?? []) visit(child, lines, regions);
    if (part.message) visit(part.message, lines, regions);
    return;
  }
  const body = { start: part.bodyOffset, end: part.endOffset };
  const kind = lines.within(body.start, body.end) ? leafKind(part) : undefined;
  const reencoded = kind === 'quoted-printable-encode';
  regions.push({ ...header, kind: reencoded ? (part.envelope ? 'message-header-reencoded' : 'part-header-reencoded') : 'header' });
  if (kind) regions.push({ ...body, kind });
}

function leafKind(part: MimePart): RegionKind | undefined {
  const encoding = part.contentTransferEncoding;
  // RFC 2045 §6.7: quoted-printable suits text; other types keep their octets (folded)
  if (part.contentType.type === 'text' && (encoding === '7BIT' || encoding === '8BIT')) return 'quoted-printable-encode';
  if (encoding === 'QUOTED-PRINTABLE') return 'quoted-printable-break';
  if (encoding === 'BASE64') return 'base64-break';
  return undefined;
}
