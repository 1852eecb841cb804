// Tests of body-structure.ts (RFC 9051 §7.5.2 BODY and BODYSTRUCTURE) on the scanned fixture message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeBodyStructure } from './body-structure';
import { MimeScanner } from './mime-scanner';
import type { MimePart } from './mime-structure';
import { WireWriter } from './wire-string';

function structure(raw: Buffer, extensible: boolean): string {
  const scanner = new MimeScanner();
  scanner.push(raw);
  const w = new WireWriter({ utf8: false });
  writeBodyStructure(w, scanner.end(), extensible);
  return w.toBuffer().toString('latin1');
}

describe('writeBodyStructure', () => {
  const nested = readFileSync(new URL('../fixtures/messages/nested.eml', import.meta.url));

  it('writes BODYSTRUCTURE with extension data for a nested message', () => {
    expect(structure(nested, true)).toBe(
      '((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 25 2 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL)' +
        '("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 80 (NIL "inner" ((NIL NIL "carol" "example.test")) ((NIL NIL "carol" "example.test")) ((NIL NIL "carol" "example.test")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL NIL) 5 NIL ("ATTACHMENT" ("FILENAME" "fwd.eml")) NIL NIL)' +
        '("APPLICATION" "OCTET-STREAM" ("NAME" "a.bin") "<part4@example.org>" NIL "BASE64" 8 NIL ("ATTACHMENT" ("FILENAME*" "utf-8\'\'%E2%82%ACrate.bin")) ("en" "de") NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)',
    );
  });

  it('writes BODY without extension data', () => {
    expect(structure(Buffer.from('Subject: x\r\n\r\nhello\r\n'), false)).toBe('("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 7 1)');
  });

  it('gives a multipart without parts one empty part (RFC 9051 §9: 1*body)', () => {
    expect(structure(Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\nno parts\r\n'), false)).toBe('(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0) "MIXED")');
  });

  it('sends 8-bit parameter values to IMAP4rev1 clients as literals', () => {
    const part = {
      headerOffset: 0,
      bodyOffset: 0,
      endOffset: 0,
      contentType: { type: 'text', subtype: 'plain', parameters: [['name', 'Grüße']] },
      contentId: null,
      contentDescription: null,
      contentTransferEncoding: '8BIT',
      contentMd5: null,
      disposition: null,
      language: null,
      location: null,
      lines: 0,
    } satisfies MimePart;
    const w = new WireWriter({ utf8: false });
    writeBodyStructure(w, part, false);
    expect(w.toBuffer().toString('utf8')).toBe('("TEXT" "PLAIN" ("NAME" {7}\r\nGrüße) NIL NIL "8BIT" 0 0)');
  });
});
