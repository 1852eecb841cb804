import { describe, expect, it } from 'vitest';
import { decideVerdict } from '../verdict/policy';
import { ruleScores } from '../verdict/rule-scores';
import { bayesReasons } from './bayes-rules';

describe('bayesReasons', () => {
  const scores = ruleScores();
  it('fires one band per probability, and BAYES_999 and BAYES_99999 on top of BAYES_99', () => {
    expect(bayesReasons(0.001, scores).map((r) => r.rule)).toEqual(['BAYES_00']);
    expect(bayesReasons(0.5, scores).map((r) => r.rule)).toEqual(['BAYES_50']);
    expect(bayesReasons(0.96, scores).map((r) => r.rule)).toEqual(['BAYES_95']);
    expect(bayesReasons(0.995, scores).map((r) => r.rule)).toEqual(['BAYES_99']);
    expect(bayesReasons(0.9995, scores).map((r) => r.rule)).toEqual(['BAYES_99', 'BAYES_999']);
    expect(bayesReasons(0.999995, scores).map((r) => r.rule)).toEqual(['BAYES_99', 'BAYES_999', 'BAYES_99999']);
  });

  describe('at the default thresholds (tag 5, Junk 8), with nothing else against the message', () => {
    const verdict = (probability: number) => decideVerdict({ reasons: bayesReasons(probability, scores) }, { tagScore: 5, junkScore: 8 }, new Date(), 'test');
    it('a message only Bayes recognises as spam with high confidence is tagged', () => {
      expect(verdict(0.995)).toMatchObject({ action: 'deliver', score: 5 });
      expect(verdict(0.995).headers).toContainEqual({ name: 'X-Spam-Flag', value: 'YES' });
    });

    it('stronger still, it goes to Junk', () => {
      expect(verdict(0.999995)).toMatchObject({ action: 'junk', score: 8 });
    });

    it('an unsure probability is neutral and a low one counts for ham', () => {
      for (const p of [0.25, 0.5]) expect(verdict(p).score).toBe(0);
      expect(verdict(0.9).score).toBeLessThan(5);
      expect(verdict(0.001).score).toBeLessThan(0);
    });
  });
});
