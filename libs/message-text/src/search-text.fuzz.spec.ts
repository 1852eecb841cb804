// Property tests of search-text.ts: arbitrary and MIME-shaped octets never
// throw, and the text stays within its limits, folded, one unit per line.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractSearchText, rawSearchText } from './search-text';

const LINES = [
  'Content-Type: multipart/mixed; boundary=a',
  'Content-Type: text/html; charset=iso-8859-1',
  'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes',
  'Content-Type: message/rfc822',
  "Content-Type: application/pdf; name*=utf-8''%E2%82",
  'Content-Disposition: attachment; filename="=?UTF-8?B?w6k=?="',
  'Content-Transfer-Encoding: base64',
  'Content-Transfer-Encoding: quoted-printable',
  'Subject: =?UTF-8?Q?caf=C3?= =?UTF-8?B?qQ==?=',
  ' folded',
  '',
  '--a',
  '--a--',
  '<p>x &eacute;&#x110000; <script>',
  'w6k=Zm9v',
  'caf=E9 =',
  'text ',
];
const message = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.array(fc.tuple(fc.constantFrom(...LINES), fc.constantFrom('\r\n', '\n', '')), { maxLength: 40 }).map((lines) => Buffer.from(lines.map(([l, e]) => l + e).join(''))),
);
const limits = fc.record({ maxHeaderChars: fc.integer({ min: 0, max: 200 }), maxBodyChars: fc.integer({ min: 0, max: 200 }) });

describe('extractSearchText (properties)', () => {
  it('never throws; each side within its limit, folded, without empty units', () => {
    fc.assert(
      fc.property(message, limits, (raw, limit) => {
        for (const text of [extractSearchText(raw, limit), rawSearchText(raw, limit)]) {
          expect(text.header.length).toBeLessThanOrEqual(limit.maxHeaderChars);
          expect(text.body.length).toBeLessThanOrEqual(limit.maxBodyChars);
          for (const side of [text.header, text.body]) {
            expect(side).toBe(side.toLowerCase());
            expect(side).not.toMatch(/[\t\r\0]|\n\n|^\n|\n$| {2}/);
          }
        }
      }),
    );
  });
});
