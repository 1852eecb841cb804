/**
 * What the content checks read of a message: its first octets (a budget,
 * like spamc's 500 KB limit: spam is small, and the classifier and the link
 * finder need no more), MIME-decoded by mailparser (RFC 2045–2047) into
 * subject, text and HTML, plus the few header facts the rules use.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { BodyNotFoundError, type BodyStore } from '@mail/bus';
import { SPAM_TRAIN_MAX_OCTETS, type BodyReference } from '@mail/contracts';

/** Octets of a message the content checks read; the same limit applies to training. */
export const CONTENT_SCAN_OCTETS = SPAM_TRAIN_MAX_OCTETS;

/**
 * Header fields kept in MessageContent.headers: the rules read a handful;
 * a message with 20,000 fields would otherwise cost a 20,000-entry map to
 * build and to copy out of the parser's worker thread.
 */
const maxHeaderFields = 100;

/** At most this much HTML is parsed into text (mailparser's own budget). */
const maxHtmlToParse = 256 * 1024;

export interface MessageContent {
  readonly subject: string;
  /** The text parts, or the text of the HTML part when there is no text part. */
  readonly text: string;
  readonly html: string;
  /** Addresses of the From: header field (RFC 5322 §3.6.2). */
  readonly fromAddresses: readonly string[];
  readonly replyToAddresses: readonly string[];
  readonly messageId: string | undefined;
  /** Header fields by lower-case name (first occurrence, the first 100 names), as text. */
  readonly headers: ReadonlyMap<string, string>;
  /** The octets read, at most CONTENT_SCAN_OCTETS. */
  readonly raw: Buffer;
  /** The message was longer than what was read. */
  readonly truncated: boolean;
}

/** Reads at most `limit` octets of a stored body. */
export async function readBodyPrefix(bodies: BodyStore, ref: BodyReference, limit = CONTENT_SCAN_OCTETS): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodies.read(ref)) {
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    size += chunk.byteLength;
    if (size >= limit) break;
  }
  const bytes = Buffer.concat(chunks);
  return { bytes: bytes.subarray(0, limit), truncated: ref.size > limit };
}

/**
 * The body's first octets, or undefined when the body is gone for good (a
 * redelivery after the relay delivered and removed it). Any other failure
 * (NATS restarting) is temporary and thrown, so the handler is retried.
 */
export async function readBodyPrefixUnlessGone(bodies: BodyStore, ref: BodyReference): Promise<{ bytes: Buffer; truncated: boolean } | undefined> {
  try {
    return await readBodyPrefix(bodies, ref);
  } catch (error) {
    if (error instanceof BodyNotFoundError) return undefined;
    throw error;
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.flatMap((a) => [a.address, ...(a.group ?? []).map((g) => g.address)])).filter((a): a is string => !!a);
}

/** Parses the first CONTENT_SCAN_OCTETS of `raw`; never throws for malformed mail (it yields what it can). */
export async function parseContent(raw: Buffer, truncated = raw.length > CONTENT_SCAN_OCTETS): Promise<MessageContent> {
  const bytes = raw.subarray(0, CONTENT_SCAN_OCTETS);
  const parsed = await simpleParser(bytes, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: maxHtmlToParse });
  const headers = new Map<string, string>();
  for (const line of parsed.headerLines) {
    if (headers.size >= maxHeaderFields) break;
    if (!headers.has(line.key)) headers.set(line.key, line.line.slice(line.line.indexOf(':') + 1).trim());
  }
  return {
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    fromAddresses: addresses(parsed.from),
    replyToAddresses: addresses(parsed.replyTo),
    messageId: parsed.messageId,
    headers,
    raw: bytes,
    truncated: truncated || raw.length > CONTENT_SCAN_OCTETS,
  };
}

/** The domain of an address (`local@domain`), lower case; undefined for the null sender or a bare name. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address.slice(at + 1).toLowerCase().replace(/^\[|\]$/g, '');
}
