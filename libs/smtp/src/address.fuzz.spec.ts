// Property tests of address.ts, domain.ts and esmtp-params.ts (RFC 5321
// §4.1.2, §4.1.3, RFC 6531 §3.3, RFC 3461 §4): on arbitrary text the path,
// mailbox, domain and parameter parsers return a value or throw their typed
// error; what they accept obeys the limits of RFC 5321 §4.5.3.1; xtext
// round-trips. Run count and seed: FUZZ_RUNS, FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSyntaxError, MAX_LOCAL_PART_OCTETS, MAX_PATH_OCTETS, parseForwardPath, parseMailbox, parseReversePath } from './address';
import { isIPv4, isIPv6, isValidDomain, parseAddressLiteral } from './domain';
import { decodeXtext, encodeXtext, parseEsmtpParams } from './esmtp-params';
import { SmtpReplyError } from './reply';

const piece = fc.oneof(
  fc.constantFrom('<', '>', '@', '"', '\\', ':', ',', '[', ']', '.', '-', ' ', 'IPv6:', '::', '1.2.3.4', 'é', '\ufffd', '\0', 'Postmaster>', '@a,@b:'),
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
);
const path = fc.oneof(
  text,
  text.map((t) => `<${t}>`),
  fc.tuple(text, text).map(([l, d]) => `<${l}@${d}>`),
);

/** Runs `parse`; only `allowed` errors may come out. */
function typed<T>(parse: () => T, ...allowed: Array<new (...args: never[]) => Error>): T | Error {
  try {
    return parse();
  } catch (error) {
    if (allowed.some((type) => error instanceof type)) return error as Error;
    throw error;
  }
}

describe('address and domain parsers (fuzz)', () => {
  it('parse paths into mailboxes within the RFC 5321 §4.5.3.1 limits, or throw SmtpReplyError', () => {
    fc.assert(
      fc.property(path, fc.boolean(), (p, utf8) => {
        for (const parse of [parseReversePath, parseForwardPath]) {
          const result = typed(() => parse(p, { utf8 }), SmtpReplyError);
          if (result instanceof Error) {
            expect([501, 553]).toContain((result as SmtpReplyError).code);
          } else if (result !== null) {
            expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PATH_OCTETS);
            if (result.domain !== '') expect(Buffer.byteLength(result.address.slice(0, result.address.length - result.domain.length - 1))).toBeLessThanOrEqual(MAX_LOCAL_PART_OCTETS);
            if (!utf8) expect(result.address).toMatch(/^[\x20-\x7e]*$/);
          }
        }
        const mailbox = typed(() => parseMailbox(p, { utf8 }), AddressSyntaxError);
        if (!(mailbox instanceof Error)) expect(mailbox.address).toBe(p);
      }),
    );
  });

  it('check domains and address literals without throwing', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (d, utf8) => {
        expect(typeof isValidDomain(d, { utf8 })).toBe('boolean');
        expect(typeof isIPv4(d)).toBe('boolean');
        expect(typeof isIPv6(d)).toBe('boolean');
        const literal = parseAddressLiteral(`[${d}]`);
        if (literal !== undefined) expect(literal.kind === 'ipv4' ? isIPv4(literal.ip) : isIPv6(literal.ip)).toBe(true);
      }),
    );
  });

  it('agree with the standard notation of IP addresses', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV6(), (v4, v6) => {
        expect(isIPv4(v4)).toBe(true);
        expect(isIPv6(v6)).toBe(true);
        expect(parseAddressLiteral(`[${v4}]`)).toEqual({ kind: 'ipv4', ip: v4 });
        expect(parseAddressLiteral(`[IPv6:${v6}]`)).toEqual({ kind: 'ipv6', ip: v6 });
      }),
    );
  });
});

describe('ESMTP parameters and xtext (fuzz)', () => {
  it('parse arbitrary parameter text or throw SmtpReplyError 501', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (t, utf8) => {
        const result = typed(() => parseEsmtpParams(t, { utf8 }), SmtpReplyError);
        if (result instanceof Error) expect((result as SmtpReplyError).code).toBe(501);
        else for (const key of result.keys()) expect(key).toMatch(/^[A-Z0-9][A-Z0-9-]*$/);
      }),
    );
  });

  it('round-trip any text through xtext (RFC 3461 §4), and decode arbitrary text or throw 501', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), text, (plain, junk) => {
        const encoded = encodeXtext(plain);
        expect(encoded).toMatch(/^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$/);
        expect(decodeXtext(encoded)).toBe(plain);
        const decoded = typed(() => decodeXtext(junk), SmtpReplyError);
        if (decoded instanceof Error) expect((decoded as SmtpReplyError).code).toBe(501);
      }),
    );
  });
});
