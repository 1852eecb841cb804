/**
 * The classifier's probability as SpamAssassin's BAYES_xx rules: one band
 * fires (BAYES_00 below 1 %, ... BAYES_99 from 99 %), plus BAYES_999 from
 * 99.9 % and BAYES_99999 from 99.999 % on top. Scores come from
 * rule-scores.ts: from BAYES_99 on, Bayes alone tags, and with
 * BAYES_99999 alone files in Junk (calibrated in docs/spam-evaluation.md).
 */
import type { VerdictReason } from '@mail/contracts';
import type { RuleName, RuleScores } from '../verdict/rule-scores';

const bands: readonly { readonly below: number; readonly rule: RuleName }[] = [
  { below: 0.01, rule: 'BAYES_00' },
  { below: 0.05, rule: 'BAYES_05' },
  { below: 0.2, rule: 'BAYES_20' },
  { below: 0.4, rule: 'BAYES_40' },
  { below: 0.6, rule: 'BAYES_50' },
  { below: 0.8, rule: 'BAYES_60' },
  { below: 0.95, rule: 'BAYES_80' },
  { below: 0.99, rule: 'BAYES_95' },
  { below: Infinity, rule: 'BAYES_99' },
];

export function bayesReasons(probability: number, scores: RuleScores): VerdictReason[] {
  const detail = `Bayes spam probability ${(probability * 100).toFixed(1)}%`;
  const band = bands.find((b) => probability < b.below) ?? { rule: 'BAYES_99' as const };
  const reasons: VerdictReason[] = [{ rule: band.rule, score: scores[band.rule], detail }];
  if (probability >= 0.999) reasons.push({ rule: 'BAYES_999', score: scores.BAYES_999, detail });
  if (probability >= 0.99999) reasons.push({ rule: 'BAYES_99999', score: scores.BAYES_99999, detail });
  return reasons;
}
