// Property tests of wire-string.ts: any value encoded as a string, astring
// or nstring reads back through the command scanner as the same octets
// (NUL aside, which no IMAP string carries), and a quoted form never holds
// CR, LF, or 8-bit octets for an IMAP4rev1 client (RFC 9051 §4.3).
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandScanner } from './command-scanner';
import { formatAstring, formatString } from './wire-string';

/** Frames an encoded value as the reader would: a literal's marker line, then its octets. */
function readBack(encoded: Buffer, astring: boolean): Buffer {
  const marker = /^\{([0-9]+)\}\r\n/.exec(encoded.toString('latin1', 0, 16));
  const command = marker === null ? { lines: [encoded], literals: [] } : { lines: [encoded.subarray(0, marker[0].length - 2), Buffer.alloc(0)], literals: [encoded.subarray(marker[0].length)] };
  if (marker !== null) expect(Number(marker[1])).toBe(command.literals[0]?.length);
  const scanner = new CommandScanner(command);
  const value = astring ? scanner.astring() : scanner.string();
  scanner.end();
  return value;
}

describe('wire strings (fuzz)', () => {
  it('read back as the value, quoted only when safe', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        fc.boolean(),
        fc.boolean(),
        (text, utf8, astring) => {
          const encoded = astring ? formatAstring(text, { utf8 }) : formatString(text, { utf8 });
          expect(readBack(encoded, astring).toString('utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8').replaceAll('\0', ''));
          if (encoded[0] === 0x22) {
            expect(encoded.includes(0x0d) || encoded.includes(0x0a)).toBe(false);
            if (!utf8) expect(encoded.every((o) => o < 0x80)).toBe(true);
          }
        },
      ),
    );
  });
});
