// Property tests of bdat-reader.ts (RFC 3030 §2): a message sent as BDAT
// chunks of arbitrary sizes, with the stream cut at arbitrary points, is
// read back octet for octet, and what follows each chunk is handed back.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BdatReader } from './bdat-reader';

describe('BdatReader (fuzz)', () => {
  it('round-trips arbitrary chunk sizes under arbitrary splits of the stream', () => {
    const input = fc.record({
      message: fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      sizeCuts: fc.uniqueArray(fc.nat(), { maxLength: 6 }),
      streamCuts: fc.uniqueArray(fc.nat(), { maxLength: 12 }),
      after: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)),
    });
    fc.assert(
      fc.property(input, ({ message, sizeCuts, streamCuts, after }) => {
        // The client's chunks (a final empty one is a valid "BDAT 0 LAST")
        const points = [0, ...sizeCuts.map((p) => p % (message.length + 1)).sort((a, b) => a - b), message.length];
        const sizes = points.slice(1).map((end, i) => end - (points[i] ?? 0));
        const stream = Buffer.concat([message, after]);
        const cuts = [0, ...streamCuts.map((p) => p % (stream.length + 1)).sort((a, b) => a - b), stream.length];
        const pieces = cuts.slice(1).map((end, i) => stream.subarray(cuts[i], end));
        // The server reads each chunk with a fresh reader, feeding leftovers first, as the session does
        const read: Buffer[] = [];
        let pending: Buffer[] = [];
        for (const size of sizes) {
          const reader = new BdatReader(size);
          let done = size === 0;
          if (done) {
            expect(reader.push(Buffer.alloc(0))).toEqual({ data: [], done: true });
            continue;
          }
          while (!done) {
            const next = pending.shift() ?? pieces.shift();
            expect(next).toBeDefined();
            if (next === undefined) return;
            const r = reader.push(next);
            read.push(...r.data);
            expect(r.data.reduce((n, d) => n + d.length, 0)).toBeLessThanOrEqual(size);
            done = r.done;
            if (done && r.rest) pending = [r.rest];
          }
          expect(reader.pending).toBe(0);
        }
        expect(Buffer.concat(read).equals(message)).toBe(true);
        expect(Buffer.concat([...pending, ...pieces]).equals(after)).toBe(true);
      }),
    );
  });
});
