import { describe, expect, it } from 'vitest';
import { chi2Q, combine, spamProbability, tokenProbability, ROBINSON_X } from './robinson-fisher';

const corpus = { spam: 100, ham: 100 };

describe('Robinson token probabilities', () => {
  it('pulls rarely seen tokens towards x and trusts often seen ones', () => {
    expect(tokenProbability({ spam: 0, ham: 0 }, corpus)).toBe(ROBINSON_X);
    const once = tokenProbability({ spam: 1, ham: 0 }, corpus);
    const often = tokenProbability({ spam: 50, ham: 0 }, corpus);
    expect(once).toBeGreaterThan(0.85);
    expect(often).toBeGreaterThan(once);
    expect(tokenProbability({ spam: 0, ham: 50 }, corpus)).toBeLessThan(0.01);
  });

  it('weighs counts by corpus size', () => {
    expect(tokenProbability({ spam: 10, ham: 10 }, { spam: 100, ham: 1000 })).toBeGreaterThan(0.85);
  });
});

describe('Fisher combining', () => {
  it('computes the chi-square survival function', () => {
    expect(chi2Q(0, 4)).toBe(1);
    expect(chi2Q(2, 2)).toBeCloseTo(Math.exp(-1), 10);
    expect(chi2Q(9.4877, 4)).toBeCloseTo(0.05, 3);
  });

  it('is 0.5 without evidence, near 1 for spammy and near 0 for hammy tokens', () => {
    expect(combine([])).toBe(0.5);
    expect(combine([0.99, 0.98, 0.97, 0.95])).toBeGreaterThan(0.95);
    expect(combine([0.01, 0.02, 0.03, 0.05])).toBeLessThan(0.05);
    expect(combine([0.99, 0.01])).toBeCloseTo(0.5, 5);
  });

  it('ignores unknown and weak tokens', () => {
    const { probability, used } = spamProbability(
      [
        { spam: 0, ham: 0 },
        { spam: 5, ham: 5 },
        { spam: 30, ham: 0 },
      ],
      corpus,
    );
    expect(used).toBe(1);
    expect(probability).toBeGreaterThan(0.9);
  });
});
