// The structure of a stored message as IMAP needs it (RFC 9051 §7.5.2 BODY,
// BODYSTRUCTURE, ENVELOPE; §6.4.5 sections): every MIME part (RFC 2045,
// RFC 2046) with the octet offsets of its header and body, so that a section
// or a partial is served by byte range without parsing the message again.
// Plain data: the service stores it as JSON beside the message.

/** A parameter list in the order of the header (RFC 2045 §5.1), names lower-cased. */
export type MimeParameters = readonly (readonly [string, string])[];

/** RFC 2045 §5: type and subtype (lower-cased) and parameters. */
export interface ContentType {
  readonly type: string;
  readonly subtype: string;
  readonly parameters: MimeParameters;
}

/** RFC 2183: disposition type (lower-cased) and parameters. */
export interface ContentDisposition {
  readonly type: string;
  readonly parameters: MimeParameters;
}

/**
 * The header fields ENVELOPE is built from (RFC 9051 §7.5.2), unfolded and
 * trimmed but otherwise as written (RFC 2047 words stay encoded); null when
 * absent.
 */
export interface EnvelopeFields {
  readonly date: string | null;
  readonly subject: string | null;
  readonly from: string | null;
  readonly sender: string | null;
  readonly replyTo: string | null;
  readonly to: string | null;
  readonly cc: string | null;
  readonly bcc: string | null;
  readonly inReplyTo: string | null;
  readonly messageId: string | null;
}

/**
 * One part. Offsets are absolute octet positions in the message:
 * `[headerOffset, bodyOffset)` is the part's header (the MIME header of a
 * child part, the whole header of a message) including the blank line,
 * `[bodyOffset, endOffset)` its body (RFC 2046 §5.1.1: without the CRLF that
 * precedes the next boundary).
 */
export interface MimePart {
  readonly headerOffset: number;
  readonly bodyOffset: number;
  readonly endOffset: number;
  readonly contentType: ContentType;
  readonly contentId: string | null;
  readonly contentDescription: string | null;
  /** Upper-cased; RFC 2045 §6.1: 7BIT when absent. */
  readonly contentTransferEncoding: string;
  readonly contentMd5: string | null;
  readonly disposition: ContentDisposition | null;
  /** RFC 3282 language tags. */
  readonly language: readonly string[] | null;
  /** RFC 2557 Content-Location. */
  readonly location: string | null;
  /** Lines of the body (text parts and encapsulated messages report it, RFC 9051 §7.5.2). */
  readonly lines: number;
  /** The children of a multipart (RFC 2046 §5.1). */
  readonly parts?: readonly MimePart[];
  /** The message encapsulated by a message/rfc822 or message/global part (RFC 2046 §5.2.1, RFC 6532 §3.5). */
  readonly message?: MimePart;
  /** Present on messages: the root and every encapsulated message. */
  readonly envelope?: EnvelopeFields;
}

/** True for the types whose body is a message of its own. */
export function isEncapsulatedMessage(type: ContentType): boolean {
  return type.type === 'message' && (type.subtype === 'rfc822' || type.subtype === 'global');
}

/** RFC 2045 §5.2: the type of a part without (a readable) Content-Type. */
export const DEFAULT_CONTENT_TYPE: ContentType = { type: 'text', subtype: 'plain', parameters: [['charset', 'us-ascii']] };
/** RFC 2046 §5.1.5: the default type of a part of a multipart/digest. */
export const DIGEST_DEFAULT_CONTENT_TYPE: ContentType = { type: 'message', subtype: 'rfc822', parameters: [] };
