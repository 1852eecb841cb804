import { describe, expect, it } from 'vitest';
import { dealFolds } from './folds';

const items = [...Array.from({ length: 100 }, (_, i) => ({ group: 'ham', i })), ...Array.from({ length: 20 }, (_, i) => ({ group: 'spam', i }))];

describe('dealFolds', () => {
  it('deals every group evenly over the folds, the same way for the same seed', () => {
    const dealt = dealFolds(items, 5, 7);
    expect(dealt).toHaveLength(120);
    for (let fold = 0; fold < 5; fold++) {
      expect(dealt.filter((d) => d.fold === fold && d.item.group === 'ham')).toHaveLength(20);
      expect(dealt.filter((d) => d.fold === fold && d.item.group === 'spam')).toHaveLength(4);
    }
    expect(dealFolds(items, 5, 7)).toEqual(dealt);
    expect(dealFolds(items, 5, 8)).not.toEqual(dealt);
  });

  it('takes a slice in proportion, at least one per fold of each group', () => {
    const slice = dealFolds(items, 5, 7, 30);
    expect(slice.filter((d) => d.item.group === 'ham')).toHaveLength(25);
    expect(slice.filter((d) => d.item.group === 'spam')).toHaveLength(5);
  });
});
