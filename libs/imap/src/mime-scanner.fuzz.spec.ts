// Property tests of mime-scanner.ts: arbitrary octets (and MIME-shaped
// ones), cut anywhere, give the same tree, and every part's offsets lie
// within the message in order, children within their parent.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MimeScanner } from './mime-scanner';
import type { MimePart } from './mime-structure';

const LINES = [
  'Content-Type: multipart/mixed; boundary=a',
  'Content-Type: multipart/alternative; boundary="b"',
  'Content-Type: message/rfc822',
  'Content-Type: multipart/digest; boundary=a',
  'Subject: x',
  ' folded',
  '',
  '--a',
  '--a--',
  '--b',
  '--b--',
  '--a  ',
  'text',
  '-',
  'Content-Transfer-Encoding: base64',
];
const message = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.array(fc.tuple(fc.constantFrom(...LINES), fc.constantFrom('\r\n', '\n', '\r', '')), { maxLength: 40 }).map((lines) => Buffer.from(lines.map(([l, e]) => l + e).join(''))),
);

function scan(raw: Buffer, cuts: readonly number[]): MimePart {
  const scanner = new MimeScanner({ maxDepth: 6, maxParts: 20 });
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (raw.length + 1)))].sort((a, b) => a - b)) {
    scanner.push(raw.subarray(from, cut));
    from = cut;
  }
  scanner.push(raw.subarray(from));
  return scanner.end();
}

function checkOffsets(part: MimePart, lo: number, hi: number): void {
  expect(lo <= part.headerOffset && part.headerOffset <= part.bodyOffset && part.bodyOffset <= part.endOffset && part.endOffset <= hi).toBe(true);
  expect(part.lines).toBeGreaterThanOrEqual(0);
  let previous = part.bodyOffset;
  for (const child of part.parts ?? []) {
    checkOffsets(child, previous, part.endOffset);
    previous = child.endOffset;
  }
  if (part.message !== undefined) checkOffsets(part.message, part.bodyOffset, part.endOffset);
}

describe('MimeScanner (fuzz)', () => {
  it('keeps every offset within the message, whatever the input and the chunk cuts', () => {
    fc.assert(
      fc.property(message, fc.array(fc.nat({ max: 500 }), { maxLength: 6 }), (raw, cuts) => {
        const root = scan(raw, cuts);
        expect(root.headerOffset).toBe(0);
        expect(root.endOffset).toBe(raw.length);
        checkOffsets(root, 0, raw.length);
        expect(root).toEqual(scan(raw, []));
      }),
    );
  });
});
