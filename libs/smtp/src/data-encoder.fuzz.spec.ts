// Property tests of data-encoder.ts against data-decoder.ts (RFC 5321
// §4.5.2): what the client stuffs, the server unstuffs back, for arbitrary
// bodies cut into arbitrary chunks on both sides. The encoder documents that
// it sends every bare CR or LF as CRLF (RFC 5321 §2.3.8), so the decoded
// body is the input with its line ends normalised, plus a final CRLF when the
// input did not end with one; nothing in it can end the data early.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DotUnstuffer } from './data-decoder';
import { DotStuffer } from './data-encoder';

const body = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r\n', '\r', '\n', '.', '..', '.\r\n', '\r\n.\r\n', '\n.\n', '\n.\r\n', '\r.\r\n', '\r\r\n', 'x', '\0', '\xff'),
      fc.string({ unit: 'binary-ascii', maxLength: 20 }),
      fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('latin1')),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

const cutPoints = fc.uniqueArray(fc.nat(), { maxLength: 10 });

function chunksAt(buf: Buffer, at: number[]): Buffer[] {
  const points = [0, ...at.map((p) => p % (buf.length + 1)).sort((a, b) => a - b), buf.length];
  return points.slice(1).map((end, i) => buf.subarray(points[i], end));
}

/** What the encoder promises to deliver: CRLF for every line end, and a complete last line. */
function expected(input: Buffer): string {
  const text = input.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n');
  return text === '' || text.endsWith('\r\n') ? text : `${text}\r\n`;
}

describe('DotStuffer → DotUnstuffer round trip (fuzz)', () => {
  it('gives back the body (line ends normalised), ends exactly at the terminator, flags nothing', () => {
    fc.assert(
      fc.property(body, cutPoints, cutPoints, (input, clientCuts, serverCuts) => {
        const stuffer = new DotStuffer();
        const wire = Buffer.concat([...chunksAt(input, clientCuts).flatMap((c) => stuffer.push(c)), stuffer.finish(), Buffer.from('QUIT\r\n')]);
        const decoder = new DotUnstuffer();
        const out: Buffer[] = [];
        let rest: Buffer | undefined;
        let ended = false;
        const chunks = chunksAt(wire, serverCuts);
        for (const [i, chunk] of chunks.entries()) {
          const r = decoder.push(chunk);
          out.push(...r.body);
          if (r.ended) {
            ended = true;
            rest = Buffer.concat([r.rest ?? Buffer.alloc(0), ...chunks.slice(i + 1)]);
            expect(r.bareLineEndings).toBe(false);
            break;
          }
        }
        expect(ended).toBe(true);
        expect(Buffer.concat(out).toString('latin1')).toBe(expected(input));
        expect(rest?.toString('latin1')).toBe('QUIT\r\n');
      }),
    );
  });
});
