// Tests of mime-scanner.ts: the part tree and offsets of a nested message
// (fixtures/messages/nested.eml), the same tree whatever the chunking, line
// counts, bare LF, limits, and a message without a header end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MimeScanner } from './mime-scanner';
import type { MimePart } from './mime-structure';

const nested = readFileSync(new URL('../fixtures/messages/nested.eml', import.meta.url));

function scan(raw: Buffer, chunk = raw.length, limits = {}): MimePart {
  const scanner = new MimeScanner(limits);
  for (let i = 0; i < raw.length; i += chunk) scanner.push(raw.subarray(i, i + chunk));
  return scanner.end();
}

const body = (raw: Buffer, p: MimePart): string => raw.toString('latin1', p.bodyOffset, p.endOffset);
const header = (raw: Buffer, p: MimePart): string => raw.toString('latin1', p.headerOffset, p.bodyOffset);

describe('MimeScanner', () => {
  it('finds every part of a nested message with its header and body ranges (RFC 2046 §5.1.1)', () => {
    const root = scan(nested);
    expect(root.headerOffset).toBe(0);
    expect(root.endOffset).toBe(nested.length);
    expect(root.contentType).toEqual({ type: 'multipart', subtype: 'mixed', parameters: [['boundary', 'outer']] });
    const [alternative, attached, binary] = root.parts ?? [];
    const [plain, html] = alternative?.parts ?? [];
    expect(header(nested, plain as MimePart)).toBe('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n');
    expect(body(nested, plain as MimePart)).toBe('Hello =C3=A9\r\nsecond line');
    expect(plain?.lines).toBe(2);
    expect(plain?.contentTransferEncoding).toBe('QUOTED-PRINTABLE');
    expect(body(nested, html as MimePart)).toBe('<p>Hello</p>');
    expect(attached?.contentType.subtype).toBe('rfc822');
    expect(attached?.disposition).toEqual({ type: 'attachment', parameters: [['filename', 'fwd.eml']] });
    expect(attached?.lines).toBe(5);
    expect(attached?.message?.envelope?.subject).toBe('inner');
    expect(header(nested, attached?.message as MimePart)).toBe('From: carol@example.test\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\n');
    expect(body(nested, attached?.message as MimePart)).toBe('inner body');
    expect(body(nested, binary as MimePart)).toBe('AAECAw==');
    expect(binary?.disposition?.parameters).toEqual([['filename*', "utf-8''%E2%82%ACrate.bin"]]);
    expect(binary?.language).toEqual(['en', 'de']);
    expect(binary?.contentId).toBe('<part4@example.org>');
    expect(root.envelope?.from).toBe('Alice Example <alice@example.org>');
  });

  it('gives the same tree whatever the chunk size', () => {
    const whole = scan(nested);
    for (const chunk of [1, 2, 3, 7, 64, 1000]) expect(scan(nested, chunk)).toEqual(whole);
  });

  it('reads a single-part message, bare LF line ends and a last line without a line break', () => {
    const raw = Buffer.from('Subject: hi\n\nline one\nline two');
    const root = scan(raw);
    expect(root.parts).toBeUndefined();
    expect(root.contentType).toEqual({ type: 'text', subtype: 'plain', parameters: [['charset', 'us-ascii']] });
    expect(body(raw, root)).toBe('line one\nline two');
    expect(root.lines).toBe(2);
    expect(root.envelope?.subject).toBe('hi');
  });

  it('treats a message without a blank line as all header', () => {
    const raw = Buffer.from('Subject: only a header\r\n');
    const root = scan(raw);
    expect(root.bodyOffset).toBe(raw.length);
    expect(root.endOffset).toBe(raw.length);
  });

  it('reads a multipart/digest part without Content-Type as message/rfc822 (RFC 2046 §5.1.5)', () => {
    const raw = Buffer.from('Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nbody\r\n--d--\r\n');
    const part = scan(raw).parts?.[0];
    expect(part?.contentType.subtype).toBe('rfc822');
    expect(part?.message?.envelope?.subject).toBe('one');
  });

  it('stops nesting at maxDepth and counting at maxParts', () => {
    let raw = 'Content-Type: text/plain\r\n\r\ndeep';
    for (let i = 0; i < 5; i++) raw = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${raw}\r\n--b${i}--\r\n`;
    const depth = (p: MimePart | undefined): number => (p?.parts === undefined ? 0 : 1 + depth(p.parts[0]));
    expect(depth(scan(Buffer.from(raw)))).toBe(5);
    expect(depth(scan(Buffer.from(raw), raw.length, { maxDepth: 2 }))).toBe(2);
    const many = `Content-Type: multipart/mixed; boundary=m\r\n\r\n${'--m\r\n\r\nx\r\n'.repeat(50)}--m--\r\n`;
    expect(scan(Buffer.from(many), 13, { maxParts: 10 }).parts?.length).toBe(9);
  });

  it('accepts transport padding after a boundary and ignores lines that only start like one', () => {
    const raw = Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b \t\r\n\r\none\r\n--bx\r\n--b--  \r\n');
    const parts = scan(raw).parts ?? [];
    expect(parts).toHaveLength(1);
    expect(body(raw, parts[0] as MimePart)).toBe('one\r\n--bx');
  });
});
