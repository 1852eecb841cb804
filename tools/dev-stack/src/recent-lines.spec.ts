import { describe, expect, it } from 'vitest';
import { RecentLines } from './recent-lines';

describe('RecentLines', () => {
  it('keeps only the newest lines', () => {
    const recent = new RecentLines(2);
    for (const line of ['a', 'b', 'c']) recent.push(line);
    expect(recent.list()).toEqual(['b', 'c']);
  });
});
