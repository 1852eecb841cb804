/**
 * The text a SEARCH looks in (RFC 9051 §6.4.4: TEXT is the header and the
 * body, BODY the body alone), as a reader would see it rather than as the
 * octets travel:
 *
 * - header: every field of the message's header section, `name: value`,
 *   unfolded and with RFC 2047 encoded words decoded — except the
 *   signatures (DKIM-Signature, ARC-Seal, ...), base64 no one searches for;
 * - body: each text part (RFC 2046 §4.1) decoded from its transfer encoding
 *   (RFC 2045 §6.7 quoted-printable, §6.8 base64) and its charset, HTML
 *   parts reduced to their words (html-text.ts), format=flowed lines joined
 *   (RFC 3676 §4.2); for every part its file name (RFC 2183 §2.3
 *   `filename`, RFC 2045 `name`, RFC 2231 encoded) and description; for an
 *   attached message (RFC 2046 §5.2.1) its header fields and its text.
 *   The content of other parts (images, PDFs, archives) is not text, and
 *   their base64 is never looked in.
 *
 * Everything comes out folded for search (search-fold.ts), one unit (a
 * field, a part, a name) per line, so a SEARCH string never spans two of
 * them. Each side is bounded (SearchTextLimits); the MIME structure comes
 * from @mail/imap's MimeScanner, bounded in depth and parts, and every step
 * is linear in the octets read.
 */
import { MimeScanner, createTransferDecoder, parameterValue, type MimePart, type TransferDecoder } from '@mail/imap';
import { decodeCharset, decodeUnlabeled } from './charset';
import { decodeEncodedWords, parameterText } from './encoded-words';
import { headerFields } from './header-fields';
import { htmlText } from './html-text';
import { foldSearchUnit } from './search-fold';

export interface SearchTextLimits {
  /** Characters of header text kept. */
  readonly maxHeaderChars: number;
  /** Characters of body text kept. */
  readonly maxBodyChars: number;
}

export const DEFAULT_SEARCH_TEXT_LIMITS: SearchTextLimits = { maxHeaderChars: 64 * 1024, maxBodyChars: 1024 * 1024 };

export interface SearchText {
  /** The header fields, folded, one per line. */
  readonly header: string;
  /** The text of the body, folded, one unit per line. */
  readonly body: string;
  /** Some text was left out at a limit. */
  readonly truncated: boolean;
}

/** Fields whose value is a signature in base64: noise to a search. */
const signatureFields = new Set(['dkim-signature', 'domainkey-signature', 'x-google-dkim-signature', 'arc-seal', 'arc-message-signature']);
/** Message types whose body is text for a reader (RFC 3464 §2.1, RFC 8098 §3.1, RFC 6533 §6). */
const textualMessages = new Set(['delivery-status', 'disposition-notification', 'global-delivery-status', 'global-disposition-notification']);
/** Encoded octets read per character still wanted: base64 of UTF-8 takes up to about 5.4, quoted-printable about 9.5. */
const octetsPerChar = 12;

/** Folded units up to a number of characters. */
class TextCollector {
  readonly #units: string[] = [];
  #chars = 0;
  truncated = false;

  constructor(private readonly maxChars: number) {}

  get remaining(): number {
    return Math.max(0, this.maxChars - this.#chars);
  }

  add(text: string): void {
    let unit = foldSearchUnit(text);
    if (unit === '') return;
    if (unit.length > this.remaining) {
      this.truncated = true;
      unit = unit.slice(0, this.remaining);
      // never end on half a surrogate pair
      if (/[\uD800-\uDBFF]$/.test(unit)) unit = unit.slice(0, -1);
      if (unit === '') return;
    }
    this.#units.push(unit);
    this.#chars += unit.length + 1;
  }

  text(): string {
    return this.#units.join('\n');
  }
}

function addFields(raw: Buffer, message: MimePart, into: TextCollector): void {
  // no more of a header section than could fill what is left (a hostile one may be megabytes long)
  const end = Math.min(message.bodyOffset, message.headerOffset + into.remaining * octetsPerChar + 1024);
  if (end < message.bodyOffset) into.truncated = true;
  for (const field of headerFields(raw.subarray(message.headerOffset, end))) {
    if (into.remaining === 0) {
      into.truncated = true;
      return;
    }
    if (!signatureFields.has(field.name.toLowerCase())) into.add(`${field.name}: ${field.value}`);
  }
}

function isText(part: MimePart): boolean {
  const { type, subtype } = part.contentType;
  return type === 'text' || (type === 'message' && textualMessages.has(subtype));
}

/** The transfer decoder of a part; an unknown encoding (RFC 2045 §6.4: x-token) is read as it stands. */
function transferDecoder(encoding: string): TransferDecoder {
  try {
    return createTransferDecoder(encoding);
  } catch {
    return createTransferDecoder('8BIT');
  }
}

/** The text of a text part, at most about `wanted` characters of it. */
function partText(raw: Buffer, part: MimePart, wanted: number): string {
  const end = Math.min(part.endOffset, part.bodyOffset + wanted * octetsPerChar + 64);
  const decoder = transferDecoder(part.contentTransferEncoding);
  const octets = Buffer.concat([decoder.push(raw.subarray(part.bodyOffset, end)), decoder.end()]);
  const { subtype, parameters } = part.contentType;
  let text = decodeCharset(octets, parameterValue(parameters, 'charset'));
  if (subtype === 'html') return htmlText(text).text;
  // RFC 3676 §4.2: with DelSp=yes the space that marks a soft line break is not part of the text (a word may be split there)
  if (parameterValue(parameters, 'format')?.toLowerCase() === 'flowed' && parameterValue(parameters, 'delsp')?.toLowerCase() === 'yes') {
    text = text.replace(/ \r?\n/g, '');
  }
  return text;
}

function addBody(raw: Buffer, part: MimePart, into: TextCollector): void {
  if (into.remaining === 0) {
    into.truncated = true;
    return;
  }
  const name = (part.disposition === null ? undefined : parameterText(part.disposition.parameters, 'filename')) ?? parameterText(part.contentType.parameters, 'name');
  if (name !== undefined) into.add(name);
  if (part.contentDescription !== null) into.add(decodeEncodedWords(part.contentDescription));
  if (part.parts !== undefined) {
    for (const child of part.parts) addBody(raw, child, into);
  } else if (part.message !== undefined) {
    addFields(raw, part.message, into);
    addBody(raw, part.message, into);
  } else if (isText(part)) {
    into.add(partText(raw, part, into.remaining));
  }
}

/** The search text of the message `raw` (the whole message, or a prefix of it: text past the prefix is not seen). */
export function extractSearchText(raw: Buffer, limits: SearchTextLimits = DEFAULT_SEARCH_TEXT_LIMITS): SearchText {
  const scanner = new MimeScanner();
  scanner.push(raw);
  const root = scanner.end();
  const header = new TextCollector(limits.maxHeaderChars);
  const body = new TextCollector(limits.maxBodyChars);
  addFields(raw, root, header);
  addBody(raw, root, body);
  return { header: header.text(), body: body.text(), truncated: header.truncated || body.truncated };
}

/**
 * The search text of a message that could not be extracted (a parse that
 * overran its deadline): the header section and the body as their octets
 * read (UTF-8 or each octet a character), undecoded — what a SEARCH looked
 * in before there was an index. Cheap and linear, so it cannot fail the same way.
 */
export function rawSearchText(raw: Buffer, limits: SearchTextLimits = DEFAULT_SEARCH_TEXT_LIMITS): SearchText {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : raw.length;
  const header = new TextCollector(limits.maxHeaderChars);
  const body = new TextCollector(limits.maxBodyChars);
  header.add(decodeUnlabeled(raw.subarray(0, Math.min(end, limits.maxHeaderChars * 4))));
  body.add(decodeUnlabeled(raw.subarray(end, end + limits.maxBodyChars * 4)));
  return { header: header.text(), body: body.text(), truncated: header.truncated || body.truncated || raw.length > end + limits.maxBodyChars * 4 };
}
