// Tests of top.ts: headers, blank line and n body lines (RFC 1939 §7), with
// the blank line and body lines split across chunk boundaries.

import { describe, expect, it } from 'vitest';
import { encodeMultiline } from './multiline';
import { extractTop, TopExtractor } from './top';

const message = Buffer.from('From: a@example.com\r\nSubject: hi\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n', 'latin1');
const headers = 'From: a@example.com\r\nSubject: hi\r\n\r\n';

/** Runs the extractor over `input` cut at the given offsets. */
function extractInPieces(input: Buffer, bodyLines: number, cuts: readonly number[]): string {
  const extractor = new TopExtractor(bodyLines);
  const out: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, input.length]) {
    out.push(extractor.push(input.subarray(start, cut)));
    start = cut;
  }
  return Buffer.concat(out).toString('latin1');
}

describe('extractTop', () => {
  it('returns the headers and the blank line for n = 0', () => {
    expect(extractTop(message, 0).toString('latin1')).toBe(headers);
  });

  it('returns the first n body lines', () => {
    expect(extractTop(message, 1).toString('latin1')).toBe(`${headers}line 1\r\n`);
    expect(extractTop(message, 2).toString('latin1')).toBe(`${headers}line 1\r\n.line 2\r\n`);
  });

  it('returns the whole message when n exceeds the body', () => {
    expect(extractTop(message, 100).equals(message)).toBe(true);
  });

  it('returns a message without a blank line whole (all headers)', () => {
    const onlyHeaders = Buffer.from('From: a\r\nSubject: b\r\n', 'latin1');
    expect(extractTop(onlyHeaders, 0).equals(onlyHeaders)).toBe(true);
  });

  it('counts a final body line without CRLF', () => {
    const body = Buffer.from('A: b\r\n\r\nfirst\r\nlast', 'latin1');
    expect(extractTop(body, 5).toString('latin1')).toBe('A: b\r\n\r\nfirst\r\nlast');
  });

  it('accepts bare LF line ends', () => {
    const lf = Buffer.from('A: b\n\nx\ny\n', 'latin1');
    expect(extractTop(lf, 1).toString('latin1')).toBe('A: b\n\nx\n');
  });

  it('is byte-stuffed by the multi-line encoder', () => {
    expect(encodeMultiline(extractTop(message, 2)).toString('latin1')).toBe(`${headers}line 1\r\n..line 2\r\n.\r\n`);
  });

  it('rejects a negative or fractional line count', () => {
    expect(() => new TopExtractor(-1)).toThrow(RangeError);
    expect(() => new TopExtractor(1.5)).toThrow(RangeError);
  });
});

describe('TopExtractor', () => {
  it('gives the same result for every two-way split of the message', () => {
    for (let n = 0; n <= 4; n += 1) {
      const expected = extractTop(message, n).toString('latin1');
      for (let cut = 0; cut <= message.length; cut += 1) {
        expect(extractInPieces(message, n, [cut]), `n=${n} cut=${cut}`).toBe(expected);
      }
    }
  });

  it('finds a blank line split as CR | LF and as CRLF | CRLF across one-byte chunks', () => {
    const cuts = Array.from({ length: message.length }, (_, i) => i);
    expect(extractInPieces(message, 1, cuts)).toBe(`${headers}line 1\r\n`);
  });

  it('does not take "X\\r" then "\\n" as a blank line', () => {
    const input = Buffer.from('A: b\r\nX\r\nC: d\r\n\r\nbody\r\n', 'latin1');
    expect(extractInPieces(input, 0, [7, 8])).toBe('A: b\r\nX\r\nC: d\r\n\r\n');
  });

  it('reports when it is finished and ignores later chunks', () => {
    const extractor = new TopExtractor(1);
    expect(extractor.push(Buffer.from(headers, 'latin1')).toString('latin1')).toBe(headers);
    expect(extractor.finished).toBe(false);
    expect(extractor.push(Buffer.from('one\r\ntwo\r\n', 'latin1')).toString('latin1')).toBe('one\r\n');
    expect(extractor.finished).toBe(true);
    expect(extractor.push(Buffer.from('three\r\n', 'latin1')).length).toBe(0);
  });
});
