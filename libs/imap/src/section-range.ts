// Serving BODY[section]<partial> by byte range (RFC 9051 §6.4.5): part
// numbers resolved in a scanned MimePart tree, HEADER / HEADER.FIELDS[.NOT] /
// TEXT / MIME mapped to octet ranges of the stored message, the header-field
// filter applied to a header's octets, and partials cut from the result.

import type { Partial, Section } from './fetch-items';
import { isEncapsulatedMessage, type MimePart } from './mime-structure';

/** Where a section's octets come from. */
export type SectionSource =
  /** The octets `[start, end)` of the message. */
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  /** The header `[start, end)` filtered by {@link filterHeaderFields}. */
  | { readonly kind: 'header-fields'; readonly start: number; readonly end: number; readonly fields: readonly string[]; readonly exclude: boolean }
  /** No such part: answered NIL. */
  | { readonly kind: 'missing' };

/** The part a child number names (RFC 9051 §6.4.5): a multipart's child, or inside an encapsulated message. */
function child(part: MimePart, n: number): MimePart | undefined {
  if (part.parts !== undefined) return part.parts[n - 1];
  const message = part.message;
  if (message === undefined) return undefined;
  // an encapsulated message that is not multipart has one part: its body
  return message.parts !== undefined ? message.parts[n - 1] : n === 1 ? message : undefined;
}

/**
 * The part at a part-number path (RFC 9051 §6.4.5): `[]` is the message;
 * a non-multipart message has only part 1, its body.
 */
export function findPart(message: MimePart, path: readonly number[]): MimePart | undefined {
  if (path.length === 0) return message;
  let part: MimePart | undefined = message.parts !== undefined ? message.parts[(path[0] as number) - 1] : path[0] === 1 ? message : undefined;
  for (let i = 1; i < path.length && part !== undefined; i++) part = child(part, path[i] as number);
  return part;
}

/** Resolves a section to its source octets. */
export function resolveSection(message: MimePart, section: Section): SectionSource {
  const part = findPart(message, section.part);
  if (part === undefined) return { kind: 'missing' };
  if (section.text === undefined) {
    // the whole message, or a part's body (for message/rfc822 the whole encapsulated message)
    return section.part.length === 0 ? { kind: 'range', start: message.headerOffset, end: message.endOffset } : { kind: 'range', start: part.bodyOffset, end: part.endOffset };
  }
  if (section.text === 'MIME') return { kind: 'range', start: part.headerOffset, end: part.bodyOffset };
  // RFC 9051 §6.4.5: HEADER, HEADER.FIELDS[.NOT] and TEXT after part numbers need a message/rfc822 part
  const target = section.part.length === 0 ? message : isEncapsulatedMessage(part.contentType) ? part.message : undefined;
  if (target === undefined) return { kind: 'missing' };
  switch (section.text) {
    case 'TEXT':
      return { kind: 'range', start: target.bodyOffset, end: target.endOffset };
    case 'HEADER':
      return { kind: 'range', start: target.headerOffset, end: target.bodyOffset };
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT':
      return { kind: 'header-fields', start: target.headerOffset, end: target.bodyOffset, fields: section.fields ?? [], exclude: section.text === 'HEADER.FIELDS.NOT' };
  }
}

/**
 * The fields of `header` whose names are (or, with `exclude`, are not) in
 * `names` (case-insensitive), in their original order with their folded
 * lines, followed by the blank line (RFC 9051 §6.4.5: HEADER.FIELDS returns
 * a subset of the header, blank line included).
 */
export function filterHeaderFields(header: Buffer, names: readonly string[], exclude: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const kept: Buffer[] = [];
  let keep = false;
  for (let start = 0; start < header.length;) {
    const lf = header.indexOf(0x0a, start);
    const end = lf < 0 ? header.length : lf + 1;
    const line = header.subarray(start, end);
    start = end;
    if (line.length === 0 || line[0] === 0x0d || line[0] === 0x0a) break; // the blank line ends the header
    if (line[0] !== 0x20 && line[0] !== 0x09) {
      const colon = line.indexOf(0x3a);
      const name = colon < 0 ? undefined : line.toString('latin1', 0, colon).trim().toLowerCase();
      keep = name !== undefined && wanted.has(name) !== exclude;
    }
    if (keep) kept.push(line);
  }
  kept.push(Buffer.from('\r\n'));
  return Buffer.concat(kept);
}

/**
 * The sub-range a partial selects within `length` octets (RFC 9051 §6.4.5:
 * from `origin`, at most `length` octets; an origin beyond the end gives the
 * empty string).
 */
export function partialRange(length: number, partial: Partial | undefined): { readonly start: number; readonly end: number } {
  if (partial === undefined) return { start: 0, end: length };
  const start = Math.min(partial.origin, length);
  return { start, end: Math.min(length, start + partial.length) };
}
