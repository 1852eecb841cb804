// The untagged FETCH response (RFC 9051 §7.5.2) in pieces: small items are
// encoded in place, while a section's octets can be left to the session to
// stream — the encoder yields the text up to and including the literal's
// `{n}` CRLF, then a placeholder naming what to stream, then the rest — so a
// large body never has to sit in memory.

import { writeBodyStructure } from './body-structure';
import { writeEnvelope } from './envelope';
import { formatDateTime, type ZonedDateTime } from './imap-date';
import type { EnvelopeFields, MimePart } from './mime-structure';
import { WireWriter, type WireStringOptions } from './wire-string';

/** The octets of a section, held or to be streamed. */
export type SectionContent<S> =
  | { readonly kind: 'nil' }
  | { readonly kind: 'bytes'; readonly data: Buffer }
  /** `size` octets the session writes from `source` (a storage reference of its own) right after the preceding piece. */
  | { readonly kind: 'stream'; readonly size: number; readonly source: S };

/** One item of a FETCH response. */
export type FetchResponseItem<S = never> =
  | { readonly kind: 'UID'; readonly uid: number }
  | { readonly kind: 'FLAGS'; readonly flags: readonly string[] }
  | { readonly kind: 'INTERNALDATE'; readonly date: ZonedDateTime }
  | { readonly kind: 'RFC822.SIZE'; readonly size: number }
  /** RFC 7162 §3.1.4.1: MODSEQ (n). */
  | { readonly kind: 'MODSEQ'; readonly modseq: bigint }
  | { readonly kind: 'ENVELOPE'; readonly envelope: EnvelopeFields }
  | { readonly kind: 'BODYSTRUCTURE' | 'BODY'; readonly part: MimePart }
  /** RFC 3516 §4.2: BINARY.SIZE[part]. */
  | { readonly kind: 'BINARY.SIZE'; readonly part: readonly number[]; readonly size: number }
  /**
   * A section under its response name (fetch-items.ts formatSectionItemName,
   * or RFC822 / RFC822.HEADER / RFC822.TEXT). `binary` sends a literal8
   * (RFC 3516 §4.2: decoded content that may hold NUL).
   */
  | { readonly kind: 'section'; readonly name: string; readonly content: SectionContent<S>; readonly binary?: boolean };

/** A piece of the response to write in order. */
export type FetchResponsePiece<S> = { readonly kind: 'bytes'; readonly data: Buffer } | { readonly kind: 'stream'; readonly size: number; readonly source: S };

/**
 * Encodes `* n FETCH (items)` CRLF. Sections held in memory are sent as
 * literals; streamed ones become `stream` pieces after their literal prefix.
 */
export function encodeFetchResponse<S>(sequenceNumber: number, items: readonly FetchResponseItem<S>[], options: WireStringOptions): FetchResponsePiece<S>[] {
  const pieces: FetchResponsePiece<S>[] = [];
  let w = new WireWriter(options).raw(`* ${sequenceNumber} FETCH (`);
  items.forEach((item, i) => {
    if (i > 0) w.raw(' ');
    if (item.kind !== 'section') {
      writeItem(w, item);
      return;
    }
    w.raw(`${item.name} `);
    const content = item.content;
    if (content.kind === 'nil') w.raw('NIL');
    else {
      // RFC 9051 §4.3 literal / RFC 3516 §4.2 literal8; literals are used even for short text so the octets go out unchanged
      const size = content.kind === 'bytes' ? content.data.length : content.size;
      w.raw(`${item.binary === true ? '~' : ''}{${size}}\r\n`);
      if (content.kind === 'bytes') w.raw(content.data);
      else {
        pieces.push({ kind: 'bytes', data: w.toBuffer() });
        pieces.push({ kind: 'stream', size: content.size, source: content.source });
        w = new WireWriter(options);
      }
    }
  });
  w.raw(')\r\n');
  pieces.push({ kind: 'bytes', data: w.toBuffer() });
  return pieces;
}

function writeItem(w: WireWriter, item: Exclude<FetchResponseItem<unknown>, { kind: 'section' }>): void {
  switch (item.kind) {
    case 'UID':
      w.raw(`UID ${item.uid}`);
      return;
    case 'FLAGS':
      w.raw(`FLAGS (${item.flags.join(' ')})`);
      return;
    case 'INTERNALDATE':
      w.raw(`INTERNALDATE "${formatDateTime(item.date)}"`);
      return;
    case 'RFC822.SIZE':
      w.raw(`RFC822.SIZE ${item.size}`);
      return;
    case 'MODSEQ':
      w.raw(`MODSEQ (${item.modseq})`);
      return;
    case 'ENVELOPE':
      w.raw('ENVELOPE ');
      writeEnvelope(w, item.envelope);
      return;
    case 'BODYSTRUCTURE':
    case 'BODY':
      w.raw(`${item.kind} `);
      writeBodyStructure(w, item.part, item.kind === 'BODYSTRUCTURE');
      return;
    case 'BINARY.SIZE':
      w.raw(`BINARY.SIZE[${item.part.join('.')}] ${item.size}`);
      return;
  }
}

/** Joins the pieces when every one is held in memory (tests, small responses); a stream piece is a programming error. */
export function joinFetchPieces(pieces: readonly FetchResponsePiece<unknown>[]): Buffer {
  return Buffer.concat(
    pieces.map((p) => {
      if (p.kind === 'stream') throw new Error('joinFetchPieces: a streamed section cannot be joined');
      return p.data;
    }),
  );
}
