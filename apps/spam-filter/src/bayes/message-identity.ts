/**
 * Which message a training request is about, so that learning it twice
 * counts once (SpamAssassin's bayes_seen). The Message-ID field (RFC 5322
 * §3.6.4) when there is one; else a digest of the author's fields and the
 * start of the body. Transport adds only trace and X-Spam fields on top,
 * so the copy sent, the copy stored and a POP3 download share it.
 */
import { createHash } from 'node:crypto';
import type { MessageContent } from '../content/message-content';

/** The start of the body that identifies a message without a Message-ID. */
const bodyPrefix = 64 * 1024;

export function messageIdentity(content: MessageContent): string {
  const hash = createHash('sha256');
  if (content.messageId) {
    hash.update(`mid:${content.messageId.trim().toLowerCase()}`);
  } else {
    const raw = content.raw;
    const crlf = raw.indexOf('\r\n\r\n');
    const lf = raw.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : raw.length;
    const body = raw
      .subarray(end, end + bodyPrefix)
      .toString('latin1')
      .replace(/\r\n/g, '\n');
    hash.update(['date', 'from', 'to', 'subject'].map((name) => content.headers.get(name) ?? '').join('\n'));
    hash.update(body);
  }
  return hash.digest('base64url').slice(0, 32);
}
