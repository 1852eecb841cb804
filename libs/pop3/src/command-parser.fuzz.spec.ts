// Property tests of command-line-splitter.ts and command-parser.ts (RFC 1939
// §3, RFC 2449 §4): arbitrary octets, cut anywhere, frame into the same
// lines as a reference; every line parses into a typed command or a
// Pop3ResponseError (userFault) — never another error, never an echo of the
// input. Run count and seed: FUZZ_RUNS, FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandLineSplitter, type Pop3InputLine } from './command-line-splitter';
import { MAX_POP3_COMMAND_LINE, parsePop3Command } from './command-parser';
import { Pop3ResponseError } from './response';

const KINDS = new Set(['USER', 'PASS', 'APOP', 'STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'QUIT', 'TOP', 'UIDL', 'CAPA', 'STLS', 'AUTH', 'UNKNOWN']);
const KEYWORDS = ['USER', 'PASS', 'APOP', 'STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'QUIT', 'TOP', 'UIDL', 'CAPA', 'STLS', 'AUTH', 'auth plain', 'top 1', 'XTND'];
const piece = fc.oneof(
  fc.constantFrom(' ', '  ', '0', '1', '00', '2147483647', '2147483648', '99999999999', '-1', '+1', '1e3', '=', '*', '\0', '\r', '\n', '\t', 'é', 'a'.repeat(41), 'f'.repeat(32)),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const line = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(piece, { maxLength: 12 })).map(([k, rest]) => `${k}${rest.join('')}`),
);

describe('parsePop3Command (fuzz)', () => {
  it('returns a typed command or throws a user-fault Pop3ResponseError', () => {
    fc.assert(
      fc.property(line, (text) => {
        try {
          const command = parsePop3Command(text);
          expect(KINDS.has(command.kind)).toBe(true);
          expect(Buffer.byteLength(text.replace(/\r?\n$/, '')) + 2).toBeLessThanOrEqual(MAX_POP3_COMMAND_LINE);
          if ('msg' in command && command.msg !== undefined) expect(command.msg).toBeGreaterThanOrEqual(1);
        } catch (error) {
          expect(error).toBeInstanceOf(Pop3ResponseError);
          expect((error as Pop3ResponseError).userFault).toBe(true);
        }
      }),
    );
  });
});

/** Reference framing: split at LF, drop one CR before it, lines over the limit (CRLF counted) are too long. */
function reference(data: Buffer, max: number): Pop3InputLine[] {
  const out: Pop3InputLine[] = [];
  let start = 0;
  for (let lf = data.indexOf(0x0a); lf >= 0; lf = data.indexOf(0x0a, start)) {
    const end = lf > start && data[lf - 1] === 0x0d ? lf - 1 : lf;
    out.push(end - start + 2 > max ? { kind: 'too-long' } : { kind: 'line', text: data.toString('utf8', start, end) });
    start = lf + 1;
  }
  return out;
}

describe('CommandLineSplitter (fuzz)', () => {
  it('frames arbitrary octets like the reference, whatever the chunk cuts, holding at most one line', () => {
    const octets = fc
      .array(
        fc.oneof(
          fc.constantFrom('\r\n', '\r', '\n', 'QUIT', ' ', '\0', '\xff', '\xc3\xa9'),
          fc.string({ unit: 'binary-ascii', maxLength: 20 }),
          fc.integer({ min: 5, max: 40 }).map((n) => 'a'.repeat(n)),
        ),
        { maxLength: 30 },
      )
      .map((parts) => Buffer.from(parts.join(''), 'latin1'));
    fc.assert(
      fc.property(octets, fc.uniqueArray(fc.nat(), { maxLength: 12 }), fc.integer({ min: 3, max: 60 }), (data, cuts, max) => {
        const points = [0, ...cuts.map((p) => p % (data.length + 1)).sort((a, b) => a - b), data.length];
        const splitter = new CommandLineSplitter(max);
        const lines: Pop3InputLine[] = [];
        for (const [i, end] of points.slice(1).entries()) {
          lines.push(...splitter.push(data.subarray(points[i], end)));
          expect(splitter.bufferedOctets).toBeLessThan(max);
        }
        // A partial line reported too long before its LF arrives (a trailing one
        // included) is reported once: the reference reports it at its LF
        const finished = data.lastIndexOf(0x0a) + 1;
        const tail = data.length - finished;
        const expected = reference(data, max);
        if (tail + 1 > max) expected.push({ kind: 'too-long' });
        expect(lines).toEqual(expected);
      }),
    );
  });
});
