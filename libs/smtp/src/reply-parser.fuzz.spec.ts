// Property tests of reply-parser.ts and reply.ts (RFC 5321 §4.2, RFC 2034
// §4): arbitrary server lines give a reply or SmtpProtocolError, never
// anything else; every reply formatReply writes is read back by
// ReplyParser with its code and enhanced code, in lines of at most 512
// octets. Run count and seed: FUZZ_RUNS, FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REPLY_LINE, formatReply } from './reply';
import { ReplyParser, SmtpProtocolError } from './reply-parser';

const replyCode = fc
  .integer({ min: 2, max: 5 })
  .chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 })))
  .map(([a, b, c]) => a * 100 + b * 10 + c);

describe('ReplyParser (fuzz)', () => {
  it('turns arbitrary lines into replies or SmtpProtocolError', () => {
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.tuple(replyCode, fc.constantFrom(' ', '-', ''), fc.string({ maxLength: 40 })).map(([c, sep, t]) => `${c}${sep}${t}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const parser = new ReplyParser({ maxLines: 8 });
        for (const l of lines) {
          try {
            const reply = parser.push(l);
            if (reply !== undefined) expect(reply.code).toBeGreaterThanOrEqual(200);
          } catch (error) {
            expect(error).toBeInstanceOf(SmtpProtocolError);
            return;
          }
        }
      }),
    );
  });

  it('reads back what formatReply writes: code, enhanced code, lines of at most 512 octets', () => {
    const enhanced = fc.option(
      fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })).map(([s, d]) => `${s}.${d}`),
      { nil: undefined },
    );
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 1200 }), fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 4 }));
    fc.assert(
      fc.property(
        replyCode.filter((c) => c < 300 || c >= 400),
        enhanced,
        text,
        (code, enh, t) => {
          const wire = formatReply(code, enh, t);
          expect(wire.endsWith('\r\n')).toBe(true);
          const lines = wire.slice(0, -2).split('\r\n');
          const parser = new ReplyParser({ maxLines: 10_000 });
          let reply;
          for (const [i, l] of lines.entries()) {
            expect(Buffer.byteLength(l) + 2).toBeLessThanOrEqual(MAX_REPLY_LINE);
            expect(l).not.toMatch(/[\r\n]/);
            reply = parser.push(l);
            expect(reply === undefined).toBe(i < lines.length - 1);
          }
          expect(reply?.code).toBe(code);
          if (enh !== undefined) expect(reply?.enhanced).toBe(`${Math.floor(code / 100)}.${enh}`);
        },
      ),
    );
  });
});
