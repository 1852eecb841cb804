/**
 * The evaluation's figures from the per-message results: spam caught and
 * ham flagged at the tag and Junk scores, overall and per group, the score
 * and probability distributions, how many of each class lie above each
 * probability (what calibrating the Bayes scores reads), the parse and
 * tokenize cost, bogofilter's figures beside, and the targets of issue 16.
 */
import type { BogofilterJudgement } from './bogofilter-run';
import type { MessageClass } from './corpus';
import type { FilterJudgement } from './filter-run';

export interface MessageResult {
  readonly id: string;
  readonly group: string;
  readonly kind: MessageClass;
  readonly fold: number;
  readonly filter: FilterJudgement;
  readonly bogofilter?: BogofilterJudgement;
  readonly tokens: number;
  readonly parseMs: number;
  readonly tokenizeMs: number;
}

export interface Tally {
  readonly messages: number;
  readonly tagged: number;
  readonly junk: number;
  /** Called spam by bogofilter at its cutoff (undefined without bogofilter). */
  readonly bogofilterSpam: number | undefined;
}

export interface Histogram {
  readonly bins: readonly string[];
  readonly spam: readonly number[];
  readonly ham: readonly number[];
}

export interface Target {
  readonly name: string;
  readonly value: string;
  readonly target: string;
  readonly met: boolean;
}

export interface EvalReport {
  readonly command: string;
  readonly folds: number;
  readonly seed: number;
  readonly limit: number | undefined;
  readonly thresholds: { readonly tagScore: number; readonly junkScore: number };
  readonly bogofilterCutoff: number | undefined;
  readonly durationSeconds: number;
  readonly totals: Readonly<Record<MessageClass, Tally>>;
  readonly groups: readonly (Tally & { readonly group: string; readonly kind: MessageClass })[];
  readonly scoreHistogram: Histogram;
  readonly probabilityHistogram: Histogram;
  readonly bogofilterHistogram: Histogram | undefined;
  /** Messages of each class whose Bayes probability is at least `atLeast`. */
  readonly calibration: readonly { readonly atLeast: number; readonly spam: number; readonly ham: number }[];
  /** CPU time of this thread per message: parse and tokenize as each message was first seen (cold code included), then tokenize and token ids again, warm. */
  readonly cost: {
    readonly parseMsMean: number;
    readonly tokenizeMsMean: number;
    readonly tokenizeMsP99: number;
    readonly tokensMean: number;
    readonly warmTokenizeMs: number;
    readonly warmTokenIdsMs: number;
  };
  /**
   * The filter at bogofilter's false-positive count: spam whose score is at
   * or above the lowest score that flags no more ham than bogofilter called
   * spam (a threshold chosen on the results themselves: an equal-ham
   * comparison, not a setting). Undefined without bogofilter.
   */
  readonly atBogofilterHam: { readonly ham: number; readonly score: number; readonly spam: number } | undefined;
  readonly targets: readonly Target[];
}

function tally(results: readonly MessageResult[], withBogofilter: boolean): Tally {
  return {
    messages: results.length,
    tagged: results.filter((r) => r.filter.tagged).length,
    junk: results.filter((r) => r.filter.junk).length,
    bogofilterSpam: withBogofilter ? results.filter((r) => r.bogofilter?.spam === true).length : undefined,
  };
}

/** Bins by lower bounds: bin i holds values in [bounds[i], bounds[i+1]). */
function histogram(results: readonly MessageResult[], value: (r: MessageResult) => number | undefined, bounds: readonly number[], label: (low: number, high: number | undefined) => string): Histogram {
  const bins = bounds.map((low, i) => label(low, bounds[i + 1]));
  const count = (kind: MessageClass) => {
    const counts = bounds.map(() => 0);
    for (const r of results) {
      const v = value(r);
      if (r.kind !== kind || v === undefined) continue;
      let bin = 0;
      while (bin + 1 < bounds.length && v >= (bounds[bin + 1] as number)) bin++;
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    return counts;
  };
  return { bins, spam: count('spam'), ham: count('ham') };
}

const scoreBounds = [-Infinity, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12];
const probabilityBounds = [0, 0.01, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.99, 0.999, 0.9999, 0.99999];
const calibrationPoints = [0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999, 0.999999, 0.9999999];

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (100 * part) / whole);
export const formatPercent = (part: number, whole: number): string => `${percent(part, whole).toFixed(2)} %`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function targets(totals: Readonly<Record<MessageClass, Tally>>): Target[] {
  const { spam, ham } = totals;
  const list: Target[] = [
    { name: 'spam caught at the tag score', value: formatPercent(spam.tagged, spam.messages), target: '≥ 97 %', met: percent(spam.tagged, spam.messages) >= 97 },
    { name: 'ham tagged', value: formatPercent(ham.tagged, ham.messages), target: '≤ 0.3 %', met: percent(ham.tagged, ham.messages) <= 0.3 },
    { name: 'ham in Junk', value: formatPercent(ham.junk, ham.messages), target: '≤ 0.1 %', met: percent(ham.junk, ham.messages) <= 0.1 },
  ];
  if (spam.bogofilterSpam !== undefined && ham.bogofilterSpam !== undefined) {
    list.push(
      {
        name: 'spam caught at the tag score, against bogofilter at its cutoff',
        value: `${formatPercent(spam.tagged, spam.messages)} vs ${formatPercent(spam.bogofilterSpam, spam.messages)}`,
        target: 'more',
        met: spam.tagged > spam.bogofilterSpam,
      },
      {
        name: 'ham tagged, against ham bogofilter calls spam',
        value: `${formatPercent(ham.tagged, ham.messages)} vs ${formatPercent(ham.bogofilterSpam, ham.messages)}`,
        target: 'no more',
        met: ham.tagged <= ham.bogofilterSpam,
      },
    );
  }
  return list;
}

/** The lowest score flagging at most `maxHam` ham, and the spam and ham at or above it. */
function atHamCount(results: readonly MessageResult[], maxHam: number): { ham: number; score: number; spam: number } {
  const hamScores = results
    .filter((r) => r.kind === 'ham')
    .map((r) => r.filter.score)
    .sort((a, b) => b - a);
  // Just above the (maxHam+1)-th highest ham score: every ham at that score stays below.
  const above = hamScores[maxHam];
  const score = above === undefined ? -Infinity : above + 1e-9;
  const flagged = (kind: MessageClass) => results.filter((r) => r.kind === kind && r.filter.score >= score).length;
  return { ham: flagged('ham'), score, spam: flagged('spam') };
}

export function buildReport(
  results: readonly MessageResult[],
  run: Pick<EvalReport, 'command' | 'folds' | 'seed' | 'limit' | 'thresholds' | 'bogofilterCutoff' | 'durationSeconds'> & {
    readonly warmCost: { readonly tokenizeMs: number; readonly tokenIdsMs: number };
  },
): EvalReport {
  const { warmCost, ...runInfo } = run;
  const withBogofilter = run.bogofilterCutoff !== undefined;
  const totals = {
    spam: tally(
      results.filter((r) => r.kind === 'spam'),
      withBogofilter,
    ),
    ham: tally(
      results.filter((r) => r.kind === 'ham'),
      withBogofilter,
    ),
  };
  const groupNames = [...new Set(results.map((r) => r.group))].sort();
  const groups = groupNames.map((group) => {
    const members = results.filter((r) => r.group === group);
    return { group, kind: members[0]?.kind ?? 'ham', ...tally(members, withBogofilter) };
  });
  const scoreLabel = (low: number, high: number | undefined) => (low === -Infinity ? `< ${high}` : high === undefined ? `≥ ${low}` : `${low} to < ${high}`);
  const probabilityLabel = (low: number, high: number | undefined) => (high === undefined ? `≥ ${low}` : `${low} to < ${high}`);
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    ...runInfo,
    totals,
    groups,
    scoreHistogram: histogram(results, (r) => r.filter.score, scoreBounds, scoreLabel),
    probabilityHistogram: histogram(results, (r) => r.filter.probability, probabilityBounds, probabilityLabel),
    bogofilterHistogram: withBogofilter ? histogram(results, (r) => r.bogofilter?.spamicity, probabilityBounds, probabilityLabel) : undefined,
    calibration: calibrationPoints.map((atLeast) => ({
      atLeast,
      spam: results.filter((r) => r.kind === 'spam' && (r.filter.probability ?? 0) >= atLeast).length,
      ham: results.filter((r) => r.kind === 'ham' && (r.filter.probability ?? 0) >= atLeast).length,
    })),
    cost: {
      parseMsMean: mean(results.map((r) => r.parseMs)),
      tokenizeMsMean: mean(results.map((r) => r.tokenizeMs)),
      tokenizeMsP99: percentile(
        results.map((r) => r.tokenizeMs),
        0.99,
      ),
      tokensMean: mean(results.map((r) => r.tokens)),
      warmTokenizeMs: warmCost.tokenizeMs,
      warmTokenIdsMs: warmCost.tokenIdsMs,
    },
    atBogofilterHam: withBogofilter ? atHamCount(results, totals.ham.bogofilterSpam ?? 0) : undefined,
    targets: targets(totals),
  };
}
