// Property tests of data-decoder.ts (RFC 5321 §4.5.2 transparency, §4.1.1.4
// end of data): on arbitrary octets cut into arbitrary chunks, DotUnstuffer
// gives exactly what a byte-by-byte reference gives, whatever the cuts.
// Documented smuggling rule asserted here: only <CRLF>.<CRLF> ends the data;
// "\n.\n", "\n.\r\n", "\r.\r\n" and every bare CR or LF are content, and are
// flagged (bareLineEndings) rather than normalised.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DotUnstuffer, MAX_TEXT_LINE } from './data-decoder';

/** Octets rich in the sequences that matter: line ends, dots, smuggling attempts, long lines. */
const dataOctets = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r\n', '\r', '\n', '.', '..', '.\r\n', '\r\n.\r\n', '\n.\n', '\n.\r\n', '\r\n.\n', '\r.\r\n', '.\r', 'x', ' ', '\0', '\xff'),
      fc.string({ unit: 'binary-ascii', maxLength: 20 }),
      fc.integer({ min: 990, max: 1010 }).map((n) => 'a'.repeat(n)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

/** A buffer and the cut positions that split it into chunks (sometimes byte by byte). */
const cuts = (buf: Buffer): fc.Arbitrary<Buffer[]> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: buf.length }), { maxLength: 12 }).map((at) => chunksAt(buf, at)) },
    { weight: 1, arbitrary: fc.constant([...buf].map((b) => Buffer.from([b]))) },
  );

function chunksAt(buf: Buffer, at: number[]): Buffer[] {
  const points = [0, ...[...at].sort((a, b) => a - b), buf.length];
  return points.slice(1).map((end, i) => buf.subarray(points[i], end));
}

interface Decoded {
  body: string;
  ended: boolean;
  rest: string;
  bareLineEndings: boolean;
  longLines: boolean;
  size: number;
}

/** Feed chunks as the session does: stop at the end of data; what remains is the next command's. */
function decode(chunks: Buffer[]): Decoded {
  const decoder = new DotUnstuffer();
  const body: Buffer[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const r = decoder.push(chunk);
    body.push(...r.body);
    if (r.ended) {
      const rest = Buffer.concat([r.rest ?? Buffer.alloc(0), ...chunks.slice(i + 1)]).toString('latin1');
      return { body: Buffer.concat(body).toString('latin1'), ended: true, rest, bareLineEndings: r.bareLineEndings, longLines: r.longLines, size: r.size };
    }
  }
  return { body: Buffer.concat(body).toString('latin1'), ended: false, rest: '', bareLineEndings: decoder.bareLineEndings, longLines: decoder.longLines, size: decoder.size };
}

/** Byte-by-byte reference: lines end only at CRLF; a "." line ends the data; a leading "." is dropped. */
function reference(data: Buffer): Decoded {
  const s = data.toString('latin1');
  let body = '';
  let i = 0;
  let endAt = -1;
  for (;;) {
    const j = s.indexOf('\r\n', i);
    if (j < 0) {
      body += s.slice(i).replace(/^\./, '');
      break;
    }
    const line = s.slice(i, j);
    if (line === '.') {
      endAt = j + 2;
      break;
    }
    body += `${line.replace(/^\./, '')}\r\n`;
    i = j + 2;
  }
  const consumed = endAt < 0 ? s : s.slice(0, endAt);
  return {
    body,
    ended: endAt >= 0,
    rest: endAt < 0 ? '' : s.slice(endAt),
    bareLineEndings: /\r(?!\n)|(?<!\r)\n/.test(consumed),
    // RFC 5321 §4.5.3.1.6: 1000 octets including the line end; the decoder measures up to each LF
    longLines: body.split(/(?<=\n)/).some((l) => l.endsWith('\n') && l.length > MAX_TEXT_LINE),
    size: body.length,
  };
}

describe('DotUnstuffer (fuzz)', () => {
  it('decodes arbitrary octets exactly as the reference does, under arbitrary chunk splits', () => {
    // The input always ends with <CRLF>.<CRLF>: a decoder rightly holds back a
    // final "." or ".\r" or "\r" until it knows what follows (and a session
    // whose client hangs up there discards the message), so only complete
    // data has one right answer.
    const input = dataOctets.map((data) => Buffer.concat([data, Buffer.from('\r\n.\r\n')])).chain((data) => fc.tuple(fc.constant(data), cuts(data)));
    fc.assert(
      fc.property(input, ([data, chunks]) => {
        expect(decode(chunks)).toEqual(reference(data));
      }),
    );
  });

  it('never ends the data on a smuggling sequence: only <CRLF>.<CRLF> ends it (RFC 5321 §4.1.1.4)', () => {
    const smuggled = fc
      .tuple(dataOctets, fc.constantFrom('\n.\n', '\n.\r\n', '\r.\r\n', '\r\n.\n', '\r\n.\r', '\n..\r\n'), dataOctets)
      .filter(([before, , after]) => !`\r\n${before.toString('latin1')}`.includes('\r\n.\r\n') && !`${after.toString('latin1')}`.includes('\r\n.\r\n'))
      // Ends in "z" so that the decoder holds nothing back (a final "." or "\r" waits for the next octet)
      .map(([before, attempt, after]) => Buffer.concat([Buffer.from('x'), before, Buffer.from(attempt, 'latin1'), Buffer.from('y'), after, Buffer.from('z')]))
      .filter((data) => !data.toString('latin1').includes('\r\n.\r\n'));
    fc.assert(
      fc.property(smuggled, (data) => {
        const r = decode([data]);
        expect(r.ended).toBe(false);
        expect(r.size).toBe(data.length - (data.toString('latin1').match(/\r\n\./g)?.length ?? 0));
      }),
    );
  });
});
