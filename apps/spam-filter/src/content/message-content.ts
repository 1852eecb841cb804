/**
 * What the content checks read of a message: its first octets (a budget,
 * like spamc's 500 KB limit: spam is small, and the classifier and the link
 * finder need no more), MIME-decoded by mailparser (RFC 2045–2047) into
 * subject, text and HTML, plus the few header facts the rules use. Reading
 * those octets from the object store is body-prefix.ts, the parse itself
 * mime-content.ts (what the parse worker loads: neither the bus nor the
 * contracts' schemas).
 */
import { SPAM_TRAIN_MAX_OCTETS } from '@mail/contracts';
import { parseMimeContent } from './mime-content';

/** Octets of a message the content checks read; the same limit applies to training. */
export const CONTENT_SCAN_OCTETS = SPAM_TRAIN_MAX_OCTETS;

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

/** Parses the first CONTENT_SCAN_OCTETS of `raw`; never throws for malformed mail (it yields what it can). */
export function parseContent(raw: Buffer, truncated = raw.length > CONTENT_SCAN_OCTETS): Promise<MessageContent> {
  return parseMimeContent(raw.subarray(0, CONTENT_SCAN_OCTETS), truncated || raw.length > CONTENT_SCAN_OCTETS);
}

/** The domain of an address (`local@domain`), lower case; undefined for the null sender or a bare name. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address
    .slice(at + 1)
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
}
