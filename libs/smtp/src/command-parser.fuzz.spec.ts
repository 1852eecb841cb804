// Property tests of command-parser.ts (RFC 5321 §4.1.1 grammar): on any line
// at all — control characters, NUL, invalid UTF-8, 8-bit text, very long —
// parseCommand returns a typed command or throws SmtpReplyError with a
// reply code, and never anything else. Run count and seed: FUZZ_RUNS and
// FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, type SmtpCommand } from './command-parser';
import { formatCommand } from './command-writer';
import { formatReply, SmtpReplyError } from './reply';

const KINDS = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'EXPN', 'HELP', 'STARTTLS', 'AUTH', 'UNKNOWN']);
const VERBS = ['HELO', 'EHLO', 'MAIL FROM:', 'RCPT TO:', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'EXPN', 'HELP', 'STARTTLS', 'AUTH', 'auth plain', 'bdat 10 last'];

/** Text as LineReader hands it over: arbitrary octets decoded as UTF-8 (invalid sequences become U+FFFD). */
const octetText = fc.uint8Array({ maxLength: 700 }).map((bytes) => Buffer.from(bytes).toString('utf8'));
/** Pieces that steer into the grammar's corners. */
const piece = fc.oneof(
  fc.constantFrom(
    '<',
    '>',
    '<>',
    '@',
    '"',
    '\\',
    ':',
    ',',
    '[',
    ']',
    ' ',
    '  ',
    '=',
    '+',
    '.',
    '\0',
    '\r',
    '\n',
    '\t',
    '\x7f',
    'é',
    '\ufffd',
    'IPv6:',
    'SMTPUTF8',
    'SIZE=',
    'BODY=8BITMIME',
    'LAST',
    'postmaster',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.integer({ min: 0, max: 2 ** 53 }).map(String),
);
const steered = fc.tuple(fc.constantFrom(...VERBS), fc.array(piece, { maxLength: 20 })).map(([verb, rest]) => `${verb}${rest.join('')}`);
const longLine = fc.tuple(fc.constantFrom(...VERBS), fc.integer({ min: 400, max: 20_000 }), fc.constantFrom('a', '@', '<', ' ', 'é', '.')).map(([verb, n, c]) => `${verb} <${c.repeat(n)}>`);
const anyLine = fc.oneof(fc.string({ unit: 'binary', maxLength: 600 }), octetText, steered, longLine);

/** Parse, turning the one allowed error into a value. */
function outcome(line: string): SmtpCommand | SmtpReplyError {
  try {
    return parseCommand(line, { utf8: line.length % 2 === 0 });
  } catch (error) {
    if (error instanceof SmtpReplyError) return error;
    throw error;
  }
}

describe('parseCommand: arbitrary lines (fuzz)', () => {
  it('returns a typed command or throws SmtpReplyError with a 5xx reply that serializes', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        const result = outcome(line);
        if (result instanceof SmtpReplyError) {
          expect(result.code).toBeGreaterThanOrEqual(500);
          expect(result.code).toBeLessThan(600);
          expect(formatReply(result.code, result.enhanced, result.text)).toMatch(/^[2-5]\d\d[ -]/);
        } else {
          expect(KINDS.has(result.kind)).toBe(true);
          if (result.kind === 'UNKNOWN') expect(result.verb.length).toBeLessThanOrEqual(64);
          if (result.kind === 'BDAT') expect(Number.isSafeInteger(result.size)).toBe(true);
        }
      }),
    );
  });

  it('refuses every line with a control character other than TAB (RFC 5321 §2.3.8: CR and LF only as CRLF)', () => {
    const withControl = fc
      .tuple(
        anyLine,
        fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 9),
        fc.nat(),
      )
      .map(([line, c, at]) => {
        const i = line.length === 0 ? 0 : at % line.length;
        return line.slice(0, i) + String.fromCharCode(c) + line.slice(i);
      });
    fc.assert(
      fc.property(withControl, (line) => {
        const result = outcome(line);
        expect(result).toBeInstanceOf(SmtpReplyError);
      }),
    );
  });

  it('gives back the command formatCommand wrote (client → server round trip)', () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
    const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
    const local = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(?:\.[A-Za-z0-9_-]{1,10})?$/);
    const address = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
    const keyword = fc.stringMatching(/^[A-Z][A-Z0-9-]{0,10}$/);
    const value = fc.stringMatching(/^[!-<>-~]{1,20}$/);
    const params = fc.dictionary(keyword, fc.oneof(fc.constant<true>(true), value), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.oneof(fc.constant(''), address), address, params, (from, to, ps) => {
        const mail = parseCommand(formatCommand({ kind: 'MAIL', from, params: ps }).slice(0, -2));
        expect(mail.kind).toBe('MAIL');
        if (mail.kind !== 'MAIL') return;
        expect(mail.path === null ? '' : mail.path.address).toBe(from);
        expect(Object.fromEntries(mail.params)).toEqual(ps);
        const rcpt = parseCommand(formatCommand({ kind: 'RCPT', to }).slice(0, -2));
        expect(rcpt.kind === 'RCPT' ? rcpt.path.address : undefined).toBe(to);
      }),
    );
  });
});
