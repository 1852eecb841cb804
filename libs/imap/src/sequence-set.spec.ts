// Tests of sequence-set.ts (RFC 9051 §9, RFC 5182, RFC 4315 §3).
import { describe, expect, it } from 'vitest';
import { enumerateSequenceSet, formatSequenceSet, parseNzNumber, parseSequenceSet, resolveSequenceSet, sequenceSetHas, sequenceSetMembers, sequenceSetSize } from './sequence-set';

describe('sequence sets', () => {
  it('parse ranges, "*" and "$"', () => {
    expect(parseSequenceSet('1:3,5,7:*')).toEqual({
      kind: 'ranges',
      ranges: [
        { start: 1, end: 3 },
        { start: 5, end: 5 },
        { start: 7, end: '*' },
      ],
    });
    expect(parseSequenceSet('$')).toEqual({ kind: 'saved' });
    for (const bad of ['', '0', '1:', ':2', '1,,2', '01', '4294967296', '1:2:3', '$,1', 'a']) expect(() => parseSequenceSet(bad)).toThrow();
    expect(parseNzNumber('4294967295')).toBe(4_294_967_295);
  });

  it('resolve "*" to the largest number, a:b as b:a, and merge (RFC 9051 §9)', () => {
    expect(resolveSequenceSet(parseSequenceSet('7:*,1:3,2:4,6'), { kind: 'sequence', max: 9 })).toEqual([1, 4, 6, 9]);
    expect(resolveSequenceSet(parseSequenceSet('5:2'), { kind: 'sequence', max: 9 })).toEqual([2, 5]);
  });

  it('refuse sequence numbers beyond the mailbox, including "*" when empty; UIDs simply match nothing', () => {
    expect(() => resolveSequenceSet(parseSequenceSet('10'), { kind: 'sequence', max: 9 })).toThrow('No message with sequence number 10');
    expect(() => resolveSequenceSet(parseSequenceSet('*'), { kind: 'sequence', max: 0 })).toThrow('empty');
    expect(resolveSequenceSet(parseSequenceSet('*'), { kind: 'uid', max: 0 })).toEqual([]);
  });

  it('include the last UID in n:* even when n is above it (RFC 9051 §6.4.9)', () => {
    expect(resolveSequenceSet(parseSequenceSet('559:*'), { kind: 'uid', max: 500 })).toEqual([500, 559]);
  });

  it('resolve "$" to the saved result (RFC 5182)', () => {
    expect(resolveSequenceSet({ kind: 'saved' }, { kind: 'uid', max: 9, saved: [2, 3] })).toEqual([2, 3]);
    expect(resolveSequenceSet({ kind: 'saved' }, { kind: 'uid', max: 9 })).toEqual([]);
  });

  it('test membership, size, bounded enumeration and intersection with stored UIDs', () => {
    const set = [1, 3, 10, 12, 4_000_000_000, 4_294_967_295];
    expect([0, 1, 3, 4, 11, 4_100_000_000].map((n) => sequenceSetHas(set, n))).toEqual([false, true, true, false, true, true]);
    expect(sequenceSetSize([1, 3, 10, 12])).toBe(6);
    expect([...enumerateSequenceSet([1, 3, 10, 12], 6)]).toEqual([1, 2, 3, 10, 11, 12]);
    expect(() => [...enumerateSequenceSet(set, 1000)]).toThrow('NO [LIMIT]');
    expect([...sequenceSetMembers(set, [2, 5, 11, 4_200_000_000])]).toEqual([2, 11, 4_200_000_000]);
  });

  it('format compact sets, keeping order for COPYUID (RFC 4315 §3)', () => {
    expect(formatSequenceSet([5, 1, 2, 3, 3, 9])).toBe('1:3,5,9');
    expect(formatSequenceSet([7, 8, 3, 4], { keepOrder: true })).toBe('7:8,3:4');
  });
});
