// Property tests of sasl-response.ts and sasl-plain.ts (RFC 5034 §4, RFC
// 4616 §2): arbitrary client lines and messages give a value or a
// user-fault Pop3ResponseError, never another error; PLAIN credentials
// round-trip through BASE64. Run count and seed: FUZZ_RUNS, FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pop3ResponseError } from './response';
import { MAX_SASL_PLAIN_FIELD, decodeSaslPlain, parseSaslPlainMessage } from './sasl-plain';
import { decodeSaslInitialResponse, parseSaslContinuation } from './sasl-response';

function onlyUserFault(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Pop3ResponseError);
    expect((error as Pop3ResponseError).userFault).toBe(true);
  }
}

const line = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 150 }).map((b) => Buffer.from(b).toString('base64')),
  fc.constantFrom('*', '*\r\n', '=', '', '==', 'A===', 'AA=A'),
);
const message = fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(new Uint8Array([0]))), { maxLength: 6 }).map((parts) => Buffer.concat(parts));
// Sometimes led by U+FEFF, which a UTF-8 decoder drops as a byte-order mark unless told not to
const field = (min: number) =>
  fc
    .tuple(fc.constantFrom('', '', '', '\uFEFF'), fc.string({ unit: 'binary', minLength: min, maxLength: 80 }))
    .map(([lead, s]) => lead + s)
    .filter((s) => !s.includes('\0') && Buffer.byteLength(s) <= MAX_SASL_PLAIN_FIELD);

describe('POP3 SASL (fuzz)', () => {
  it('decodes arbitrary lines and messages or refuses them as the client’s fault', () => {
    fc.assert(
      fc.property(line, message, (l, m) => {
        onlyUserFault(() => parseSaslContinuation(l));
        onlyUserFault(() => decodeSaslInitialResponse(l));
        onlyUserFault(() => decodeSaslPlain(l));
        onlyUserFault(() => parseSaslPlainMessage(m));
      }),
    );
  });

  it('gives back the PLAIN credentials a client encodes (RFC 4616 §2)', () => {
    fc.assert(
      fc.property(field(0), field(1), field(1), (authzid, authcid, password) => {
        const wire = Buffer.from(`${authzid}\0${authcid}\0${password}`, 'utf8').toString('base64');
        expect(decodeSaslPlain(wire)).toEqual(authzid === '' ? { authcid, password } : { authzid, authcid, password });
      }),
    );
  });
});
