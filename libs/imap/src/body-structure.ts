// BODY and BODYSTRUCTURE (RFC 9051 §7.5.2, grammar `body` in §9) from a
// scanned MimePart tree: basic, text and message/rfc822 parts with their
// fields, multiparts with their children, and — for BODYSTRUCTURE only —
// the extension data (MD5, disposition, language, location; for multiparts
// the parameters, disposition, language, location).

import { writeEnvelope } from './envelope';
import { DEFAULT_CONTENT_TYPE, isEncapsulatedMessage, type ContentDisposition, type MimeParameters, type MimePart } from './mime-structure';
import type { WireWriter } from './wire-string';

/** RFC 9051 §9: body-fld-param = "(" string SP string *(SP string SP string) ")" / nil. */
function writeParameters(w: WireWriter, parameters: MimeParameters): void {
  if (parameters.length === 0) {
    w.raw('NIL');
    return;
  }
  w.raw('(');
  parameters.forEach(([name, value], i) => {
    if (i > 0) w.raw(' ');
    w.string(name.toUpperCase()).raw(' ').string(value);
  });
  w.raw(')');
}

/** RFC 9051 §9: body-fld-dsp = "(" string SP body-fld-param ")" / nil. */
function writeDisposition(w: WireWriter, disposition: ContentDisposition | null): void {
  if (disposition === null) {
    w.raw('NIL');
    return;
  }
  w.raw('(').string(disposition.type.toUpperCase()).raw(' ');
  writeParameters(w, disposition.parameters);
  w.raw(')');
}

/** RFC 9051 §9: body-fld-lang = nstring / "(" string *(SP string) ")". */
function writeLanguage(w: WireWriter, language: readonly string[] | null): void {
  if (language === null || language.length === 0) {
    w.raw('NIL');
    return;
  }
  if (language.length === 1) {
    w.string(language[0] as string);
    return;
  }
  w.raw('(');
  language.forEach((tag, i) => (i > 0 ? w.raw(' ') : w).string(tag));
  w.raw(')');
}

/** The extension data shared by both kinds of part: disposition, language, location. */
function writeCommonExtensions(w: WireWriter, part: MimePart): void {
  w.raw(' ');
  writeDisposition(w, part.disposition);
  w.raw(' ');
  writeLanguage(w, part.language);
  w.raw(' ').nstring(part.location);
}

/**
 * Writes BODYSTRUCTURE (`extensible`) or BODY (not) of `part` (RFC 9051
 * §7.5.2). A multipart in which no part was found is written with one empty
 * text/plain part, since the grammar needs at least one (`1*body`).
 */
export function writeBodyStructure(w: WireWriter, part: MimePart, extensible: boolean): void {
  w.raw('(');
  if (part.parts !== undefined) {
    const children = part.parts.length > 0 ? part.parts : [emptyTextPart(part.bodyOffset)];
    for (const child of children) writeBodyStructure(w, child, extensible);
    // RFC 9051 §9: body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    w.raw(' ').string(part.contentType.subtype.toUpperCase());
    if (extensible) {
      w.raw(' ');
      writeParameters(w, part.contentType.parameters);
      writeCommonExtensions(w, part);
    }
    w.raw(')');
    return;
  }
  const type = part.contentType;
  // RFC 9051 §9: body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
  w.string(type.type.toUpperCase()).raw(' ').string(type.subtype.toUpperCase()).raw(' ');
  writeParameters(w, type.parameters);
  w.raw(' ').nstring(part.contentId).raw(' ').nstring(part.contentDescription).raw(' ').string(part.contentTransferEncoding);
  w.raw(` ${part.endOffset - part.bodyOffset}`);
  if (isEncapsulatedMessage(type)) {
    // RFC 9051 §9: body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
    // (a message nested beyond the scanner's depth was not read: an empty one stands in)
    const message = part.message ?? emptyTextPart(part.bodyOffset);
    w.raw(' ');
    writeEnvelope(w, message.envelope ?? EMPTY_ENVELOPE);
    w.raw(' ');
    writeBodyStructure(w, message, extensible);
    w.raw(` ${part.lines}`);
  } else if (type.type === 'text') w.raw(` ${part.lines}`); // RFC 9051 §9: body-type-text adds body-fld-lines
  if (extensible) {
    // RFC 9051 §9: body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
    w.raw(' ').nstring(part.contentMd5);
    writeCommonExtensions(w, part);
  }
  w.raw(')');
}

const EMPTY_ENVELOPE = { date: null, subject: null, from: null, sender: null, replyTo: null, to: null, cc: null, bcc: null, inReplyTo: null, messageId: null };

function emptyTextPart(at: number): MimePart {
  return {
    headerOffset: at,
    bodyOffset: at,
    endOffset: at,
    contentType: DEFAULT_CONTENT_TYPE,
    contentId: null,
    contentDescription: null,
    contentTransferEncoding: '7BIT',
    contentMd5: null,
    disposition: null,
    language: null,
    location: null,
    lines: 0,
  };
}
