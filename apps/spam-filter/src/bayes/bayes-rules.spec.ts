import { describe, expect, it } from 'vitest';
import { ruleScores } from '../verdict/rule-scores';
import { bayesReasons } from './bayes-rules';

describe('bayesReasons', () => {
  const scores = ruleScores();
  it('fires one band per probability, and BAYES_999 on top of BAYES_99', () => {
    expect(bayesReasons(0.001, scores).map((r) => r.rule)).toEqual(['BAYES_00']);
    expect(bayesReasons(0.5, scores).map((r) => r.rule)).toEqual(['BAYES_50']);
    expect(bayesReasons(0.96, scores).map((r) => r.rule)).toEqual(['BAYES_95']);
    expect(bayesReasons(0.995, scores).map((r) => r.rule)).toEqual(['BAYES_99']);
    expect(bayesReasons(0.9995, scores).map((r) => [r.rule, r.score])).toEqual([
      ['BAYES_99', 3.5],
      ['BAYES_999', 0.2],
    ]);
  });
});
