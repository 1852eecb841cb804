// Property tests of line-reader.ts (RFC 5321 §2.3.8, §4.5.3.1.4): arbitrary
// octets cut into arbitrary chunks give the same events as a reference
// that splits at every LF, reports lines over the limit as too long, and
// marks bare LF. Run count and seed: FUZZ_RUNS, FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, type LineEvent } from './line-reader';

const octets = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r\n', '\r', '\n', 'QUIT', ' ', '\0', '\xff', '\xc3\xa9'),
      fc.string({ unit: 'binary-ascii', maxLength: 20 }),
      fc.integer({ min: 8, max: 40 }).map((n) => 'a'.repeat(n)),
    ),
    { maxLength: 30 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

function reference(data: Buffer, max: number): LineEvent[] {
  const events: LineEvent[] = [];
  let start = 0;
  for (let lf = data.indexOf(0x0a); lf >= 0; lf = data.indexOf(0x0a, start)) {
    const line = data.subarray(start, lf + 1);
    start = lf + 1;
    if (line.length > max) {
      events.push({ kind: 'too-long' });
      continue;
    }
    const bareLf = line.length < 2 || line[line.length - 2] !== 0x0d;
    events.push({ kind: 'line', text: line.toString('utf8', 0, line.length - (bareLf ? 1 : 2)), bareLf });
  }
  // A partial line that has already reached the limit is reported when its LF comes: never here
  return events;
}

describe('LineReader (fuzz)', () => {
  it('gives the reference events under arbitrary chunk splits and limits', () => {
    const input = fc.tuple(octets, fc.uniqueArray(fc.nat(), { maxLength: 12 }), fc.integer({ min: 3, max: 60 }));
    fc.assert(
      fc.property(input, ([data, cuts, max]) => {
        const points = [0, ...cuts.map((p) => p % (data.length + 1)).sort((a, b) => a - b), data.length];
        const reader = new LineReader({ maxLineLength: max });
        const events: LineEvent[] = [];
        for (const [i, end] of points.slice(1).entries()) {
          reader.push(data.subarray(points[i], end));
          for (let e = reader.next(); e !== undefined; e = reader.next()) events.push(e);
          expect(reader.buffered).toBeLessThan(Math.max(max, end - (points[i] ?? 0)) + max);
        }
        expect(events).toEqual(reference(data, max));
      }),
    );
  });
});
