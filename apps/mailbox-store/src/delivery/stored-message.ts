/**
 * The bytes mailbox-store keeps for a message: the header lines the pipeline
 * prepends, then the body exactly as received (stored-pieces.ts streams the
 * two together). What POP3 RETR sends (before dot-stuffing) is this, octet
 * for octet.
 */
import type { HeaderField, MailClassified } from '@mail/contracts';

/**
 * Fields to prepend, in order: the trace fields of ingress first (Received:,
 * RFC 5321 §4.4), then the spam filter's (X-Spam-*, Authentication-Results).
 */
export function prependedFields(event: Pick<MailClassified, 'traceHeaders' | 'verdict'>): HeaderField[] {
  return [...event.traceHeaders, ...event.verdict.headers];
}

/** `Name: value\r\n` per field (RFC 5322 §2.2; values arrive already folded with CRLF + WSP). */
export function headerLines(fields: readonly HeaderField[]): Buffer {
  return Buffer.from(fields.map((field) => `${field.name}: ${field.value}\r\n`).join(''), 'utf8');
}

/**
 * The octets stored before the body: the prepended fields, plus the empty
 * line that ends the header section when the body has none of its own
 * (RFC 5322 §2.1), so its first line is not taken for a header field.
 */
export function storedPrefix(event: Pick<MailClassified, 'traceHeaders' | 'verdict' | 'bodyLacksHeaderSection'>): Buffer {
  const lines = headerLines(prependedFields(event));
  return event.bodyLacksHeaderSection === true ? Buffer.concat([lines, Buffer.from('\r\n')]) : lines;
}
