/** Unit tests of rangesWithin: the client's UID set applied to the absent UIDs. */
import { describe, expect, it } from 'vitest';
import { rangesWithin } from './absent-uids';

describe('rangesWithin', () => {
  it('keeps the parts of the ranges inside the set, merged and ascending', () => {
    const absent = [
      { first: 1, last: 3 },
      { first: 6, last: 10 },
      { first: 15, last: 15 },
    ];
    expect(rangesWithin(absent, [{ first: 1, last: 4_294_967_295 }])).toEqual(absent);
    expect(rangesWithin(absent, [{ first: 2, last: 7 }])).toEqual([
      { first: 2, last: 3 },
      { first: 6, last: 7 },
    ]);
    // Either end first, in any order, overlapping
    expect(
      rangesWithin(absent, [
        { first: 15, last: 9 },
        { first: 8, last: 6 },
        { first: 3, last: 3 },
      ]),
    ).toEqual([
      { first: 3, last: 3 },
      { first: 6, last: 10 },
      { first: 15, last: 15 },
    ]);
  });

  it('is empty when nothing overlaps', () => {
    expect(rangesWithin([{ first: 1, last: 3 }], [{ first: 4, last: 9 }])).toEqual([]);
    expect(rangesWithin([], [{ first: 1, last: 9 }])).toEqual([]);
  });
});
