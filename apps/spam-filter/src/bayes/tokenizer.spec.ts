import { describe, expect, it } from 'vitest';
import { parseContent } from '../content/message-content';
import { messageIdentity } from './message-identity';
import { tokenize } from './tokenizer';

const message = [
  'From: "Deals" <offers@cheap-pills.test>',
  'Reply-To: claims@elsewhere.test',
  'Subject: =?UTF-8?B?V0lOIGEgcHJpemU=?=',
  'X-Mailer: BulkMail/2.0',
  'X-Spam-Status: Yes, score=20.0',
  'Content-Type: text/plain; charset="utf-8"',
  '',
  'Claim your FREE prize now at https://www.cheap-pills.test/win for $100!',
  'aGVsbG8gd29ybGQgdGhpcyBpcyBhIHZlcnkgbG9uZyB0b2tlbg==',
  '',
].join('\r\n');

describe('tokenize', () => {
  it('gives lower-cased words, prefixed subject words, sender and link domains and header facts', async () => {
    const tokens = tokenize(await parseContent(Buffer.from(message)));
    expect(tokens).toEqual(
      expect.arrayContaining([
        'claim',
        'free',
        'prize',
        '$100',
        'subject:win',
        'subject:prize',
        'from:cheap-pills.test',
        'reply-to:elsewhere.test',
        'url:cheap-pills.test',
        'x-mailer:bulkmail',
        'content-type:text/plain',
        'charset:utf-8',
        'no-message-id',
      ]),
    );
    expect(tokens.some((t) => t.startsWith('sk:'))).toBe(true);
    expect(tokens.filter((t) => t === 'claim')).toHaveLength(1);
    expect(tokens.join(' ')).not.toMatch(/score|20\.0/);
  });
});

describe('messageIdentity', () => {
  it('is the same for a copy with trace and X-Spam fields prepended, and differs for another message', async () => {
    const original = await parseContent(Buffer.from(message));
    const stored = await parseContent(Buffer.from(`Received: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\r\nX-Spam-Status: No\r\n${message}`));
    const other = await parseContent(Buffer.from(message.replace('prize', 'car')));
    expect(messageIdentity(stored)).toBe(messageIdentity(original));
    expect(messageIdentity(other)).not.toBe(messageIdentity(original));
    const withId = await parseContent(Buffer.from(`Message-ID: <a@b.test>\r\n${message}`));
    const sameId = await parseContent(Buffer.from(`Message-ID: <A@b.test>\r\n${message.replace('prize', 'car')}`));
    expect(messageIdentity(withId)).toBe(messageIdentity(sameId));
  });
});
