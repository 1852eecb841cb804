import { describe, expect, it } from 'vitest';
import { runEvaluation } from './evaluation';

describe('runEvaluation on a slice of the corpus', () => {
  it('scores every message of the slice once, through the service code, and sorts spam from ham far better than chance', async () => {
    const { report, results } = await runEvaluation({ folds: 4, limit: 1200, seed: 16, bogofilter: false }, 'spec');
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
    expect(report.groups.map((g) => g.group)).toEqual(['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2']);
    expect(report.totals.spam.messages + report.totals.ham.messages).toBe(results.length);
    // A model trained on 900 messages (about 280 spam: over the 200 of each class it needs to take part): most spam is tagged on Bayes alone, hardly any ham.
    expect(report.totals.spam.tagged / report.totals.spam.messages).toBeGreaterThan(0.8);
    expect(report.totals.ham.tagged / report.totals.ham.messages).toBeLessThan(0.02);
    expect(results.filter((r) => r.filter.probability === undefined)).toEqual([]);
  });
});
