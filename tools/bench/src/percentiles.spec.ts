import { describe, expect, it } from 'vitest';
import { percentileOfSorted, summarize } from './percentiles';

describe('percentileOfSorted', () => {
  it('takes the nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileOfSorted(hundred, 50)).toBe(50);
    expect(percentileOfSorted(hundred, 95)).toBe(95);
    expect(percentileOfSorted(hundred, 99)).toBe(99);
    expect(percentileOfSorted(hundred, 100)).toBe(100);
  });

  it('returns the only sample for any percentile, and NaN for none', () => {
    expect(percentileOfSorted([7], 1)).toBe(7);
    expect(percentileOfSorted([7], 99)).toBe(7);
    expect(percentileOfSorted([], 50)).toBeNaN();
  });

  it('rejects a percentile outside (0, 100]', () => {
    expect(() => percentileOfSorted([1], 0)).toThrow(RangeError);
    expect(() => percentileOfSorted([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts a copy and reports min, mean and max', () => {
    const samples = [5, 1, 3, 2, 4];
    const summary = summarize(samples);
    expect(summary).toMatchObject({ count: 5, min: 1, mean: 3, p50: 3, max: 5 });
    expect(samples).toEqual([5, 1, 3, 2, 4]);
  });

  it('puts the tail in p99 when one sample in a hundred is slow', () => {
    const samples = [...Array.from({ length: 98 }, () => 1), 50, 100];
    expect(summarize(samples)).toMatchObject({ p50: 1, p95: 1, p99: 50, max: 100 });
  });
});
