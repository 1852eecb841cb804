// Property tests of sasl.ts (RFC 4954 §4, RFC 4616 §2): arbitrary client
// lines and decoded messages give credentials or SmtpReplyError 501, never
// anything else; PLAIN credentials round-trip through BASE64.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmtpReplyError } from './reply';
import { MAX_SASL_PLAIN_FIELD, decodeSaslInitialResponse, parseSaslLoginField, parseSaslPlain, parseSaslResponse } from './sasl';

function only501(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect((error as SmtpReplyError).code).toBe(501);
  }
}

const line = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 150 }).map((b) => Buffer.from(b).toString('base64')),
  fc.constantFrom('*', '=', '', '==', 'A===', 'AA=A'),
);
const message = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(new Uint8Array([0]))), { maxLength: 6 }).map((parts) => Buffer.concat(parts)),
);
// Sometimes led by U+FEFF, which a UTF-8 decoder drops as a byte-order mark unless told not to
const field = (min: number) =>
  fc
    .tuple(fc.constantFrom('', '', '', '\uFEFF'), fc.string({ unit: 'binary', minLength: min, maxLength: 80 }))
    .map(([lead, s]) => lead + s)
    .filter((s) => !s.includes('\0') && Buffer.byteLength(s) <= MAX_SASL_PLAIN_FIELD);

describe('SMTP SASL (fuzz)', () => {
  it('parses arbitrary response lines and messages or refuses them with 501', () => {
    fc.assert(
      fc.property(line, message, (l, m) => {
        only501(() => parseSaslResponse(l));
        only501(() => decodeSaslInitialResponse(l));
        only501(() => parseSaslPlain(m));
        only501(() => parseSaslLoginField(m, 'password'));
      }),
    );
  });

  it('gives back the PLAIN credentials a client encodes (RFC 4616 §2)', () => {
    fc.assert(
      fc.property(field(0), field(1), field(1), (authzid, authcid, password) => {
        const wire = Buffer.from(`${authzid}\0${authcid}\0${password}`, 'utf8').toString('base64');
        const response = parseSaslResponse(wire);
        expect(response.cancelled).toBe(false);
        if (response.cancelled) return;
        expect(parseSaslPlain(response.data)).toEqual(authzid === '' ? { authcid, password } : { authzid, authcid, password });
        expect(parseSaslLoginField(Buffer.from(password), 'password')).toBe(password);
      }),
    );
  });
});
