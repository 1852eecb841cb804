// Tests of search-text.ts on the messages of fixtures/ (see its README):
// base64 and quoted-printable bodies, ISO-8859-1 and windows-1252, HTML,
// RFC 2047 header fields, RFC 2231 file names, attached messages, attachments
// whose base64 must not be searched, format=flowed, signatures, limits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractSearchText, rawSearchText } from './search-text';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe('extractSearchText', () => {
  it('decodes a base64 UTF-8 body and RFC 2047 header fields, adjacent encoded words joined (RFC 2047 §6.2)', () => {
    const { header, body, truncated } = extractSearchText(fixture('base64-utf8.eml'));
    expect(body).toBe('le rendez-vous est confirmé : le quokka attend à genève. à bientôt, zoë');
    expect(header.split('\n')).toEqual([
      'from: zoë müller <zoe@example.test>',
      'to: erin@example.test',
      // ISO-8859-1 Q, then UTF-8 B, then a character whose octets two Q words share
      'subject: réunion prévue € 100 café',
      'date: sat, 10 jan 2026 10:00:00 +0000',
      'mime-version: 1.0',
      'content-type: text/plain; charset=utf-8',
      'content-transfer-encoding: base64',
    ]);
    expect(truncated).toBe(false);
  });

  it('decodes quoted-printable in ISO-8859-1, soft line breaks joining a word (RFC 2045 §6.7)', () => {
    const { body } = extractSearchText(fixture('quoted-printable-latin1.eml'));
    expect(body).toBe("café crème brûlée, c'est extraordinaire. une ligne très longue qui se poursuit sur la suivante.");
  });

  it('reads an HTML part as its words: no markup, script, style or comment; references decoded; windows-1252', () => {
    const { body } = extractSearchText(fixture('html.eml'));
    expect(body).toContain('les crêpes de maître pangolin & fils');
    expect(body).toContain('prix€');
    for (const hidden of ['marmot', 'walruses', 'hidden', '<p>', 'color']) expect(body).not.toContain(hidden);
  });

  it('takes every text part, file names (RFC 2231, RFC 2047) and descriptions, an attached message, never base64 of binaries', () => {
    const { header, body } = extractSearchText(fixture('mixed-attachments.eml'));
    expect(body.split('\n')).toEqual([
      'see the attached report about otters.',
      'see the attached report about otters and beavers.',
      'résumé annuel.pdf',
      'photo dété.png',
      'vue de la mer à nice',
      'forwarded.eml',
      'from: dave@example.test',
      'subject: transféré',
      'content-type: text/plain; charset=utf-8',
      'content-transfer-encoding: base64',
      'texte du message joint: axolotl.',
    ]);
    // the attachments' base64 holds these letters; preamble and epilogue are not for readers (RFC 2046 §5.1.1)
    for (const absent of ['zebra', 'stripes', 'ivbor', 'capybara', 'narwhal']) expect(body).not.toContain(absent);
    expect(header).toContain('subject: documents');
    expect(header).not.toContain('otters');
  });

  it('joins format=flowed lines split with DelSp=yes (RFC 3676 §4.2)', () => {
    expect(extractSearchText(fixture('flowed.eml')).body).toBe('a word split by a soft break: hippopotamus, and an ordinary wrap.');
  });

  it('unfolds header fields (RFC 5322 §2.2.3) and leaves signatures out', () => {
    const { header } = extractSearchText(fixture('signed-header.eml'));
    expect(header.split('\n')).toEqual(['from: grace@example.test', 'x-mailer: tool version 2', 'subject: signed', 'content-type: text/plain']);
  });

  it('keeps at most the characters asked for, and says so', () => {
    const raw = Buffer.from(`Subject: ${'long '.repeat(100)}\r\nX-Other: more\r\n\r\n${'word '.repeat(1000)}`);
    const text = extractSearchText(raw, { maxHeaderChars: 50, maxBodyChars: 100 });
    expect(text.header.length).toBeLessThanOrEqual(50);
    expect(text.body.length).toBeLessThanOrEqual(100);
    expect(text.body.startsWith('word word')).toBe(true);
    expect(text.truncated).toBe(true);
  });

  it('reads no more of a huge header section than the limit can hold', () => {
    const raw = Buffer.from(`Subject: first\r\n${'X-Filler: aaaaaaaaaa\r\n'.repeat(50_000)}\r\nbody\r\n`);
    const text = extractSearchText(raw, { maxHeaderChars: 1000, maxBodyChars: 1000 });
    expect(text.header.startsWith('subject: first\nx-filler: aaaaaaaaaa')).toBe(true);
    expect(text.header.length).toBeLessThanOrEqual(1000);
    expect(text.body).toBe('body');
    expect(text.truncated).toBe(true);
  });

  it('reads a message without MIME headers as US-ASCII text, 8-bit octets as UTF-8 or else windows-1252', () => {
    expect(extractSearchText(Buffer.from('Subject: hi\r\n\r\nPlain old text.\r\n')).body).toBe('plain old text.');
    expect(extractSearchText(Buffer.from('Subject: hi\r\n\r\nna\u00efve\r\n', 'utf8')).body).toBe('naïve');
    expect(extractSearchText(Buffer.from('Subject: hi\r\n\r\nna\u00efve\r\n', 'latin1')).body).toBe('naïve');
  });

  it('reads an unknown transfer encoding or charset as it stands', () => {
    const raw = Buffer.from('Content-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: x-custom\r\n\r\nStill readable\r\n');
    expect(extractSearchText(raw).body).toBe('still readable');
  });
});

describe('rawSearchText', () => {
  it('gives the header section and body as octets read, undecoded', () => {
    const { header, body } = rawSearchText(fixture('base64-utf8.eml'));
    expect(header).toContain('subject: =?iso-8859-1?q?r=e9union_pr=e9vue?=');
    expect(body.startsWith('tgugcmvuzgv6')).toBe(true);
  });
});
