// Property tests of mailbox-name.ts: modified UTF-7 (RFC 3501 §5.1.3)
// round-trips any well-formed name, arbitrary text decodes or is refused
// with ImapResponseError, and the LIST matcher agrees with a regular
// expression on short names.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeModifiedUtf7, encodeModifiedUtf7, listPatternMatcher } from './mailbox-name';
import { ImapResponseError } from './response-error';

describe('mailbox names (fuzz)', () => {
  it('round-trip through modified UTF-7', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (name) => {
        const encoded = encodeModifiedUtf7(name);
        expect(/^[\x20-\x7e]*$/.test(encoded)).toBe(true);
        expect(decodeModifiedUtf7(encoded)).toBe(name);
      }),
    );
  });

  it('decode arbitrary text or refuse it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[-&A-Za-z0-9+,]{0,16}$/)), (text) => {
        try {
          decodeModifiedUtf7(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ImapResponseError);
        }
      }),
    );
  });

  it('match LIST patterns as a regular expression would', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*', '%');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 8 }).map((c) => c.join('')),
        fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 8 }).map((c) => c.join('')),
        (pattern, name) => {
          const regex = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/%/g, '[^/]*')}$`);
          expect(listPatternMatcher('', pattern, '/')(name)).toBe(regex.test(name));
        },
      ),
    );
  });
});
