// Tests of section-range.ts (RFC 9051 §6.4.5 part numbers, section texts, partials).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Section } from './fetch-items';
import { MimeScanner } from './mime-scanner';
import { filterHeaderFields, findPart, partialRange, resolveSection } from './section-range';

const nested = readFileSync(new URL('../fixtures/messages/nested.eml', import.meta.url));
const scanner = new MimeScanner();
scanner.push(nested);
const root = scanner.end();

function text(section: Section): string | undefined {
  const source = resolveSection(root, section);
  if (source.kind === 'missing') return undefined;
  const octets = nested.subarray(source.start, source.end);
  return (source.kind === 'header-fields' ? filterHeaderFields(octets, source.fields, source.exclude) : octets).toString('latin1');
}

describe('sections', () => {
  it('resolve part numbers through multiparts and encapsulated messages', () => {
    expect(text({ part: [] })).toBe(nested.toString('latin1'));
    expect(text({ part: [1, 1] })).toBe('Hello =C3=A9\r\nsecond line');
    expect(text({ part: [1, 2] })).toBe('<p>Hello</p>');
    expect(text({ part: [2, 1] })).toBe('inner body');
    expect(text({ part: [3] })).toBe('AAECAw==');
    expect(text({ part: [4] })).toBeUndefined();
    expect(text({ part: [3, 1] })).toBeUndefined();
  });

  it('serve HEADER, TEXT and MIME, and HEADER/TEXT only of messages', () => {
    expect(text({ part: [2], text: 'HEADER' })).toBe('From: carol@example.test\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\n');
    expect(text({ part: [2], text: 'TEXT' })).toBe('inner body');
    expect(text({ part: [1, 2], text: 'MIME' })).toBe('Content-Type: text/html; charset="utf-8"\r\n\r\n');
    expect(text({ part: [1, 2], text: 'HEADER' })).toBeUndefined();
    expect(text({ part: [], text: 'TEXT' })?.startsWith('This is the preamble.')).toBe(true);
  });

  it('filter header fields with their folded lines, blank line included', () => {
    expect(text({ part: [], text: 'HEADER.FIELDS', fields: ['content-type', 'SUBJECT'] })).toBe('Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: multipart/mixed;\r\n boundary="outer"\r\n\r\n');
    expect(text({ part: [2], text: 'HEADER.FIELDS.NOT', fields: ['From', 'Content-Type'] })).toBe('Subject: inner\r\n\r\n');
  });

  it('number a single-part message body as part 1', () => {
    const single = new MimeScanner();
    single.push(Buffer.from('Subject: x\r\n\r\nbody'));
    const message = single.end();
    expect(findPart(message, [1])).toBe(message);
    expect(findPart(message, [2])).toBeUndefined();
  });

  it('cut partials (RFC 9051 §6.4.5)', () => {
    expect(partialRange(100, { origin: 10, length: 20 })).toEqual({ start: 10, end: 30 });
    expect(partialRange(100, { origin: 90, length: 20 })).toEqual({ start: 90, end: 100 });
    expect(partialRange(100, { origin: 200, length: 20 })).toEqual({ start: 100, end: 100 });
    expect(partialRange(100, undefined)).toEqual({ start: 0, end: 100 });
  });
});
