/**
 * Messages for the content rules' specs: a message written as header lines
 * and a body, parsed as the filter parses it, and its view.
 */
import { parseContent } from '../src/content/message-content';
import { messageView, type MessageView, type MessageViewOptions } from '../src/rules/message-view';

/** Header fields every well-formed message of the specs has, unless a spec leaves one out or replaces it. */
export const usualHeaders: Readonly<Record<string, string>> = {
  From: 'Alice Example <alice@example.org>',
  To: 'bob@example.test',
  Subject: 'Lunch on Friday',
  Date: 'Tue, 17 Nov 2026 10:00:00 +0000',
  'Message-ID': '<20261117100000.1234@mail.example.org>',
  'MIME-Version': '1.0',
  'Content-Type': 'text/plain; charset=utf-8',
};

/** When the specs' messages were received: an hour after their usual Date:. */
export const receivedAt = new Date('2026-11-17T11:00:00Z');

/** The message's view: `headers` over usualHeaders (undefined leaves a field out), then the body. */
export async function viewOf(
  headers: Readonly<Record<string, string | undefined>>,
  body: string | Buffer = 'Shall we meet at noon?\r\n',
  options: MessageViewOptions = { receivedAt },
): Promise<MessageView> {
  const fields = Object.entries({ ...usualHeaders, ...headers }).flatMap(([name, value]) => (value === undefined ? [] : [`${name}: ${value}\r\n`]));
  const raw = Buffer.concat([Buffer.from(`${fields.join('')}\r\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body]);
  return messageView(await parseContent(raw), options);
}

/** A multipart/alternative body with a text and an HTML part (headers to go with it: multipartHeaders). */
export function alternative(text: string, html: string, boundary = 'b1'): string {
  return [`--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', text, `--${boundary}`, 'Content-Type: text/html; charset=utf-8', '', html, `--${boundary}--`, ''].join('\r\n');
}

export const multipartHeaders = (boundary = 'b1') => ({ 'Content-Type': `multipart/alternative; boundary="${boundary}"` });
export const htmlHeaders = { 'Content-Type': 'text/html; charset=utf-8' };
