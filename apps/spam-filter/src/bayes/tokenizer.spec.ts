import { describe, expect, it } from 'vitest';
import { parseContent } from '../content/message-content';
import { messageIdentity } from './message-identity';
import { tokenize } from './tokenizer';

const message = [
  'Received: from mx.sender.example (mx.sender.example [198.51.100.7]) by mail.example.org with ESMTP id 1',
  'Authentication-Results: mail.example.org; spf=fail smtp.mailfrom=cheap-pills.test',
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
        'from-addr:offers@cheap-pills.test',
        'from-name:deals',
        'rcvd:sender.example',
        'rcvd:example.org',
        'rcvd-ip:198.51',
        'rcvd-with:esmtp',
        'mime:text/plain',
        'mime-parts:one',
      ]),
    );
    expect(tokens.join(' ')).not.toMatch(/spf|fail/);
    expect(tokens.some((t) => t.startsWith('sk:'))).toBe(true);
    expect(tokens.filter((t) => t === 'claim')).toHaveLength(1);
    expect(tokens.join(' ')).not.toMatch(/score|20\.0/);
  });

  it('reads the words of an HTML part that is not the root and has no text part beside it, and the elements it uses', async () => {
    const html = [
      'From: a@b.test',
      'Subject: offer',
      'Content-Type: multipart/related; boundary="r"',
      '',
      '--r',
      'Content-Type: text/html; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<html><body><table><tr><td><font color=3D"red">Refi&#110;ance today</font></td></tr></table></body></html>',
      '--r',
      'Content-Type: image/gif',
      'Content-Transfer-Encoding: base64',
      '',
      'R0lGODlhAQABAAAAACw=',
      '--r--',
      '',
    ].join('\r\n');
    const content = await parseContent(Buffer.from(html));
    expect(content.text).toMatch(/Refinance today/);
    expect(tokenize(content)).toEqual(
      expect.arrayContaining([
        'refinance',
        'today',
        'html:table',
        'html:font',
        'mime:multipart/related',
        'mime:text/html',
        'mime:image/gif',
        'encoding:quoted-printable',
        'encoding:base64',
        'charset:iso-8859-1',
        'mime-parts:few',
      ]),
    );
  });
});

describe('tokenize: words, amounts and pairs', () => {
  const body = (text: string) =>
    tokenize({ subject: 'Cheap meds', text, html: '', fromAddresses: [], replyToAddresses: [], messageId: undefined, headers: new Map(), raw: Buffer.alloc(0), truncated: false });

  it('joins letters across apostrophes, underscores and hyphens but ends a word on a letter or digit', () => {
    const tokens = body("Don't miss our e-mail_offer-- it's 'here'... Ünïcode wörds too");
    expect(tokens).toEqual(expect.arrayContaining(["don't", 'miss', 'e-mail_offer', "it's", 'here', 'ünïcode', 'wörds', 'too']));
    expect(tokens.some((t) => /['_-]$/.test(t))).toBe(false);
  });

  it('keeps amounts and drops digits-only words, short words and the tail of long ones', () => {
    const tokens = body('Pay $1,000.00 or €9.99, call 5551234 ok ab 0123456789abcdefghijklmnopqrstuvwxyz');
    expect(tokens).toEqual(expect.arrayContaining(['$1,000.00', '€9.99', 'pay', 'call', 'sk:01234567']));
    expect(tokens).not.toContain('5551234');
    expect(tokens).not.toContain('ab');
    expect(tokens).not.toContain('ok');
  });

  it('pairs adjacent words of the subject and the start of the body, not across a number', () => {
    const tokens = body('Buy viagra online now 2002 today only');
    expect(tokens).toEqual(expect.arrayContaining(['subject:cheap', 'subject:meds', 'cheap meds', 'buy viagra', 'viagra online', 'online now', 'today only']));
    expect(tokens).not.toContain('now today');
  });

  it('pairs only the first words of a long body', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const pairs = body(words.join(' ')).filter((t) => t.includes(' ') && !t.startsWith('cheap'));
    expect(pairs).toHaveLength(50);
    expect(pairs[0]).toBe(`${words[0]} ${words[1]}`);
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
