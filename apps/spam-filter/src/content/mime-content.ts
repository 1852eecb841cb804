/**
 * The MIME parse of the content checks (RFC 2045–2047, by mailparser) of
 * octets already cut to the budget (message-content.ts). Kept apart so the
 * parse worker loads mailparser and nothing else: every module imported
 * here is loaded again in each worker thread.
 */
import type { AddressObject } from 'mailparser';
import type { MessageContent } from './message-content';

/**
 * Header fields kept in MessageContent.headers: the rules read a handful;
 * a message with 20,000 fields would otherwise cost a 20,000-entry map to
 * build and to copy out of the parser's worker thread.
 */
const maxHeaderFields = 100;

/** At most this much HTML is parsed into text (mailparser's own budget). */
const maxHtmlToParse = 256 * 1024;

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.flatMap((a) => [a.address, ...(a.group ?? []).map((g) => g.address)])).filter((a): a is string => !!a);
}

/** Parses `bytes` whole (the caller applies the budget); never throws for malformed mail (it yields what it can). */
export async function parseMimeContent(bytes: Buffer, truncated: boolean): Promise<MessageContent> {
  // Loaded at the first parse, not with the service: an idle spam-filter
  // holds no mailparser (the parse worker loads it as it starts, see
  // content-parser-worker.ts).
  const { simpleParser } = await import('mailparser');
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
    truncated,
  };
}
