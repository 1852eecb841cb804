// Property tests of sequence-set.ts (RFC 9051 §9 sequence-set): arbitrary
// text parses or fails with ImapResponseError; a resolved set agrees with a
// naive membership test, enumerates in order, and formats back into a set
// that parses to the same members.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImapResponseError } from './response-error';
import { enumerateSequenceSet, formatNormalizedSet, formatSequenceSet, normalizeNumbers, parseSequenceSet, resolveSequenceSet, sequenceSetHas, sequenceSetMembers } from './sequence-set';

const element = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map(String),
  fc.constant('*'),
  fc.tuple(fc.oneof(fc.integer({ min: 1, max: 60 }).map(String), fc.constant('*')), fc.oneof(fc.integer({ min: 1, max: 60 }).map(String), fc.constant('*'))).map(([a, b]) => `${a}:${b}`),
);
const validSet = fc.array(element, { minLength: 1, maxLength: 8 }).map((e) => e.join(','));

describe('sequence sets (fuzz)', () => {
  it('parse arbitrary text or refuse it with ImapResponseError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[0-9:*,$]{0,20}$/)), (text) => {
        try {
          parseSequenceSet(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ImapResponseError);
        }
      }),
    );
  });

  it('resolve to the members a naive reading gives, and format back to the same members', () => {
    fc.assert(
      fc.property(validSet, fc.integer({ min: 1, max: 80 }), (text, max) => {
        const naive = new Set<number>();
        for (const e of text.split(',')) {
          const [a, b = a] = e.split(':').map((x) => (x === '*' ? max : Number(x))) as [number, number?];
          for (let n = Math.min(a, b as number); n <= Math.max(a, b as number); n++) naive.add(n);
        }
        const set = resolveSequenceSet(parseSequenceSet(text), { kind: 'uid', max });
        for (let n = 0; n <= 100; n++) expect(sequenceSetHas(set, n)).toBe(naive.has(n));
        const members = [...enumerateSequenceSet(set, 1000)];
        expect(members).toEqual([...naive].sort((a, b) => a - b));
        expect([
          ...sequenceSetMembers(
            set,
            Array.from({ length: 100 }, (_, i) => i + 1),
          ),
        ]).toEqual(members);
        expect(resolveSequenceSet(parseSequenceSet(formatNormalizedSet(set)), { kind: 'uid', max })).toEqual(set);
        expect(normalizeNumbers(members)).toEqual(set);
        expect(formatSequenceSet(members)).toBe(formatNormalizedSet(set));
      }),
    );
  });
});
