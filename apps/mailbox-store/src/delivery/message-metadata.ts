/**
 * Searchable metadata of a stored message (From, To, Subject, Date,
 * Message-ID), parsed with mailparser from the header section only and under
 * a time budget: a message that cannot be parsed is still stored, with
 * whatever metadata is missing left empty. Parsing never blocks delivery.
 */
import type { AddressObject } from 'mailparser';

export interface MessageMetadata {
  readonly from: string | null;
  readonly to: string | null;
  readonly subject: string | null;
  readonly date: Date | null;
  readonly messageId: string | null;
}

export interface MetadataBudget {
  readonly timeoutMs: number;
  /** Octets of the header section parsed at most. */
  readonly maxHeaderBytes: number;
}

export type MetadataResult =
  { readonly outcome: 'parsed'; readonly metadata: MessageMetadata } | { readonly outcome: 'failed' | 'timed-out'; readonly metadata: MessageMetadata; readonly reason: string };

export const emptyMetadata: MessageMetadata = { from: null, to: null, subject: null, date: null, messageId: null };

/** Longest text kept per field (RFC 5322 §2.1.1 line limit, unfolded fields may be longer). */
const maxFieldLength = 998;

/** The header section: up to and including the first empty line (RFC 5322 §2.1), capped at `maxBytes`. */
export function headerSection(body: Buffer, maxBytes: number): Buffer {
  const window = body.subarray(0, maxBytes);
  if (window.subarray(0, 2).toString('latin1') === '\r\n') return Buffer.alloc(0);
  const end = window.indexOf('\r\n\r\n');
  return end === -1 ? window : window.subarray(0, end + 4);
}

/** PostgreSQL text cannot hold NUL; long values are cut. */
function clean(value: string | undefined): string | null {
  if (value === undefined) return null;
  const text = value.replace(/\0/g, '').trim();
  return text === '' ? null : text.slice(0, maxFieldLength);
}

function addressText(value: AddressObject | AddressObject[] | undefined): string | null {
  if (value === undefined) return null;
  return clean((Array.isArray(value) ? value : [value]).map((item) => item.text).join(', '));
}

/**
 * The Date field read from its raw line: mailparser substitutes the current
 * time for an unreadable date, which would be a lie in the metadata.
 */
function dateOf(headerLines: readonly { key: string; line: string }[]): Date | null {
  const line = headerLines.find((header) => header.key === 'date')?.line;
  if (line === undefined) return null;
  const date = new Date(
    line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim(),
  );
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The metadata of a header section (no budget: see parseMetadata and metadata-parser.ts). */
export async function parseHeaderSection(section: Buffer): Promise<MessageMetadata> {
  // Loaded at first use, not at the top: an idle service (and one that never
  // delivers) does not hold mailparser (metadata-parser.ts parses small header
  // sections on the event loop, larger ones in its worker).
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(section, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  return {
    from: addressText(mail.from),
    to: addressText(mail.to),
    subject: clean(mail.subject),
    date: dateOf(mail.headerLines),
    messageId: clean(mail.messageId),
  };
}

/** Parse within the budget; never throws. */
export async function parseMetadata(body: Buffer, budget: MetadataBudget): Promise<MetadataResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => (timer = setTimeout(() => resolve('timed-out'), budget.timeoutMs)));
  try {
    const result = await Promise.race([parseHeaderSection(headerSection(body, budget.maxHeaderBytes)), timeout]);
    if (result === 'timed-out') return { outcome: 'timed-out', metadata: emptyMetadata, reason: `parsing took over ${budget.timeoutMs} ms` };
    return { outcome: 'parsed', metadata: result };
  } catch (error) {
    return { outcome: 'failed', metadata: emptyMetadata, reason: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
