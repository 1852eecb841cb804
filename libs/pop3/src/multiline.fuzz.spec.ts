// Property tests of multiline.ts (RFC 1939 §3 byte-stuffing): a body cut
// into arbitrary chunks is stuffed by MultilineEncoder and read back by
// unstuffMultiline as the body itself — plus the CRLF the encoder adds
// before the terminator when the body does not end with one — and nothing
// inside the body ends the response early. Run count and seed: FUZZ_RUNS,
// FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MultilineEncoder, encodeMultiline, encodeMultilineResponse, formatListing, unstuffMultiline } from './multiline';

const body = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r\n', '\r', '\n', '.', '..', '.\r\n', '\r\n.\r\n', '\n.\n', '\n.\r\n', '\r.\r\n', 'x', '\0', '\xff'),
      fc.string({ unit: 'binary-ascii', maxLength: 20 }),
      fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('latin1')),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

describe('MultilineEncoder / unstuffMultiline (fuzz)', () => {
  it('round-trips arbitrary bodies under arbitrary chunk splits', () => {
    fc.assert(
      fc.property(body, fc.uniqueArray(fc.nat(), { maxLength: 10 }), (input, cuts) => {
        const points = [0, ...cuts.map((p) => p % (input.length + 1)).sort((a, b) => a - b), input.length];
        const encoder = new MultilineEncoder();
        const wire = Buffer.concat([...points.slice(1).map((end, i) => encoder.push(input.subarray(points[i], end))), encoder.end()]);
        expect(wire.equals(encodeMultiline(input))).toBe(true);
        const complete = input.length === 0 || input.subarray(-2).toString('latin1') === '\r\n';
        const expected = complete ? input : Buffer.concat([input, Buffer.from('\r\n')]);
        // Whatever follows the terminator (the next response) is not part of the body
        expect(unstuffMultiline(Buffer.concat([wire, Buffer.from('+OK next\r\n')])).equals(expected)).toBe(true);
      }),
    );
  });

  it('frames a whole response in one buffer exactly as the status line and the streaming encoder would', () => {
    fc.assert(
      fc.property(body, fc.string({ maxLength: 30 }), (input, text) => {
        const statusLine = `+OK ${text}\r\n`;
        const encoder = new MultilineEncoder();
        const streamed = Buffer.concat([Buffer.from(statusLine, 'utf8'), encoder.push(input), encoder.end()]);
        expect(encodeMultilineResponse(statusLine, input).equals(streamed)).toBe(true);
      }),
    );
  });

  it('serializes listings whose lines come back unchanged', () => {
    const listingLine = fc.string({ unit: 'binary', maxLength: 40 }).filter((l) => !/[\r\n]/.test(l));
    fc.assert(
      fc.property(fc.array(listingLine, { maxLength: 10 }), (lines) => {
        const wire = Buffer.from(formatListing(lines), 'utf8');
        const text = unstuffMultiline(wire).toString('utf8');
        expect(text === '' ? [] : text.slice(0, -2).split('\r\n')).toEqual(lines);
      }),
    );
  });
});
