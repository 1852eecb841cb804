/**
 * The MIME parse of the content checks (RFC 2045–2047, by mailparser) of
 * octets already cut to the budget (message-content.ts). Kept apart so the
 * parse worker loads mailparser and nothing else: every module imported
 * here is loaded again in each worker thread.
 */
import type { AddressObject } from 'mailparser';
import { htmlText } from '@mail/message-text';
import type { MessageContent } from './message-content';

/**
 * Header fields kept in MessageContent.headers: the rules read a handful;
 * a message with 20,000 fields would otherwise cost a 20,000-entry map to
 * build and to copy out of the parser's worker thread.
 */
const maxHeaderFields = 100;

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
  // skipHtmlToText: mailparser's html-to-text renders the HTML of an HTML-only
  // message for a reader (about 1.6 ms per such message of the SpamAssassin
  // corpus) and none when the HTML is not the root part (multipart/alternative
  // or multipart/related with no text part): @mail/message-text's htmlText gives the words of
  // either, in a small fraction of that.
  const parsed = await simpleParser(bytes, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, skipHtmlToText: true });
  const headers = new Map<string, string>();
  for (const line of parsed.headerLines) {
    if (headers.size >= maxHeaderFields) break;
    if (!headers.has(line.key)) headers.set(line.key, line.line.slice(line.line.indexOf(':') + 1).trim());
  }
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const text = parsed.text ?? '';
  return {
    subject: parsed.subject ?? '',
    text: text.trim() === '' && html !== '' ? htmlText(html).text : text,
    html,
    fromAddresses: addresses(parsed.from),
    replyToAddresses: addresses(parsed.replyTo),
    messageId: parsed.messageId,
    headers,
    raw: bytes,
    truncated,
  };
}
