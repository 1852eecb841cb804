// Collecting the header fields of one part while its header streams by
// (RFC 5322 §2.2: field-name ":" field-body, folded lines start with WSP and
// are unfolded per §2.2.3), keeping only the fields BODYSTRUCTURE and
// ENVELOPE report, within an octet budget; then reading them into the
// fields of a MimePart.

import { parseContentDisposition, parseContentLanguage, parseContentType, parseTransferEncoding } from './mime-header';
import type { ContentType, EnvelopeFields, MimePart } from './mime-structure';

const KEPT_FIELDS = new Set([
  'content-type',
  'content-transfer-encoding',
  'content-id',
  'content-description',
  'content-md5',
  'content-disposition',
  'content-language',
  'content-location',
  'date',
  'subject',
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'in-reply-to',
  'message-id',
]);

/** The fields kept so far of one header. */
export interface HeaderCollector {
  /** Field name (lower-case) to its value, first occurrence only. */
  readonly fields: Map<string, string>;
  /** The field the next folded line continues, when it is kept. */
  current: string | undefined;
  octets: number;
}

export function newHeaderCollector(): HeaderCollector {
  return { fields: new Map(), current: undefined, octets: 0 };
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Header text: UTF-8 when it is (RFC 6532), else each octet as a character. */
export function decodeHeaderText(octets: Buffer): string {
  if (octets.every((o) => o < 0x80)) return octets.toString('latin1');
  try {
    return STRICT_UTF8.decode(octets);
  } catch {
    return octets.toString('latin1');
  }
}

/** Takes one header line (without its line ending). */
export function collectHeaderLine(collector: HeaderCollector, line: Buffer, maxOctets: number): void {
  const first = line[0];
  if (first === 0x20 || first === 0x09) {
    // RFC 5322 §2.2.3: unfolding removes the CRLF, keeping the WSP
    const name = collector.current;
    if (name === undefined || collector.octets + line.length > maxOctets) return;
    collector.fields.set(name, (collector.fields.get(name) ?? '') + decodeHeaderText(line));
    collector.octets += line.length;
    return;
  }
  collector.current = undefined;
  const colon = line.indexOf(0x3a);
  if (colon <= 0) return;
  // RFC 5322 §3.6.8 field-name, compared case-insensitively; obsolete WSP before the colon tolerated (RFC 5322 §4.5)
  const name = line.toString('latin1', 0, colon).trimEnd().toLowerCase();
  if (!KEPT_FIELDS.has(name) || collector.fields.has(name) || collector.octets + line.length > maxOctets) return;
  collector.fields.set(name, decodeHeaderText(line.subarray(colon + 1)));
  collector.current = name;
  collector.octets += line.length;
}

type PartFields = Pick<MimePart, 'contentType' | 'contentId' | 'contentDescription' | 'contentTransferEncoding' | 'contentMd5' | 'disposition' | 'language' | 'location'> & {
  envelope?: EnvelopeFields;
};

/** The MimePart fields of a collected header; `isMessage` adds the envelope fields (root and encapsulated messages). */
export function partFromHeader(collector: HeaderCollector, defaultType: ContentType, isMessage: boolean): PartFields {
  const value = (name: string): string | null => {
    const v = collector.fields.get(name);
    return v === undefined ? null : v.trim();
  };
  const typeText = value('content-type');
  const dispositionText = value('content-disposition');
  const languageText = value('content-language');
  const language = languageText === null ? [] : parseContentLanguage(languageText);
  const fields: PartFields = {
    // RFC 2045 §5.2: a missing or unreadable Content-Type means the default
    contentType: (typeText === null ? undefined : parseContentType(typeText)) ?? defaultType,
    contentId: value('content-id'),
    contentDescription: value('content-description'),
    contentTransferEncoding: parseTransferEncoding(value('content-transfer-encoding')),
    contentMd5: value('content-md5'),
    disposition: (dispositionText === null ? undefined : parseContentDisposition(dispositionText)) ?? null,
    language: language.length === 0 ? null : language,
    location: value('content-location'),
  };
  if (!isMessage) return fields;
  return {
    ...fields,
    envelope: {
      date: value('date'),
      subject: value('subject'),
      from: value('from'),
      sender: value('sender'),
      replyTo: value('reply-to'),
      to: value('to'),
      cc: value('cc'),
      bcc: value('bcc'),
      inReplyTo: value('in-reply-to'),
      messageId: value('message-id'),
    },
  };
}
