/**
 * Naive Bayes with Gary Robinson's token probabilities and Fisher's
 * chi-square combining ("A Statistical Approach to the Spam Problem",
 * Linux Journal 2003). x is SpamAssassin's; s and the minimum strength were
 * chosen on the SpamAssassin public corpus (docs/spam-evaluation.md):
 * SpamAssassin's s = 0.16 and 0.346 left most tokens of a message out, and
 * spam with a mailing list's headers sat at 0.5. Pure arithmetic: the
 * counts come from the token store.
 */

/** How often a token was seen in learned spam and ham messages. */
export interface TokenCounts {
  readonly spam: number;
  readonly ham: number;
}

/** How many spam and ham messages were learned. */
export interface CorpusSize {
  readonly spam: number;
  readonly ham: number;
}

/** Robinson's s (strength of the prior) and x (the prior for an unknown token, as SpamAssassin sets it). */
export const ROBINSON_S = 0.3;
export const ROBINSON_X = 0.538;
/**
 * Tokens whose probability lies within this distance of 0.5 say too little
 * to be used. 0.25 and 300 tokens since word pairs joined the tokens (with
 * them, 0.15 and 150 caught 1-2 points less spam at 1-4 ham false positives
 * on the SpamAssassin corpus, docs/spam-evaluation.md).
 */
export const MIN_PROB_STRENGTH = 0.25;
/** The most significant tokens used per message. */
export const MAX_SIGNIFICANT_TOKENS = 300;

/** Robinson's f(w): the token's spam probability, pulled towards x when it was seen rarely. */
export function tokenProbability(counts: TokenCounts, corpus: CorpusSize): number {
  const seen = counts.spam + counts.ham;
  if (seen === 0 || corpus.spam === 0 || corpus.ham === 0) return ROBINSON_X;
  const spamRatio = counts.spam / corpus.spam;
  const hamRatio = counts.ham / corpus.ham;
  const p = spamRatio / (spamRatio + hamRatio);
  return (ROBINSON_S * ROBINSON_X + seen * p) / (ROBINSON_S + seen);
}

/** Survival function of the chi-square distribution with an even number `v` of degrees of freedom. */
export function chi2Q(x2: number, v: number): number {
  const m = x2 / 2;
  let term = Math.exp(-m);
  let sum = term;
  for (let i = 1; i < v / 2; i++) {
    term *= m / i;
    sum += term;
  }
  return Math.min(sum, 1);
}

/** Fisher's combining of token probabilities into the message's spam probability (0.5 without evidence). */
export function combine(probabilities: readonly number[]): number {
  const n = probabilities.length;
  if (n === 0) return 0.5;
  let lnSpam = 0;
  let lnHam = 0;
  for (const p of probabilities) {
    const f = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
    lnSpam += Math.log(1 - f);
    lnHam += Math.log(f);
  }
  const spamminess = 1 - chi2Q(-2 * lnSpam, 2 * n);
  const hamminess = 1 - chi2Q(-2 * lnHam, 2 * n);
  return (spamminess - hamminess + 1) / 2;
}

/** The spam probability of a message from the counts of its distinct tokens. */
export function spamProbability(tokens: readonly TokenCounts[], corpus: CorpusSize): { probability: number; used: number } {
  const significant = tokens
    .filter((counts) => counts.spam + counts.ham > 0)
    .map((counts) => tokenProbability(counts, corpus))
    .filter((p) => Math.abs(p - 0.5) >= MIN_PROB_STRENGTH)
    .sort((a, b) => Math.abs(b - 0.5) - Math.abs(a - 0.5))
    .slice(0, MAX_SIGNIFICANT_TOKENS);
  return { probability: combine(significant), used: significant.length };
}
