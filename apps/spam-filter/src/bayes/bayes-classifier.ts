/**
 * The statistical classifier the seeds ask for ("build a statistical model
 * of good and bad messages from user feedback"): learns from training
 * requests and Junk moves, and judges a message only once it has learned
 * at least SPAM_BAYES_MIN_MESSAGES of each class (SpamAssassin's
 * bayes_min_spam_num / bayes_min_ham_num) — an untrained classifier is a
 * source of false positives.
 */
import type { SpamClass } from '@mail/contracts';
import { spamProbability, type CorpusSize } from './robinson-fisher';
import type { LearnOutcome, TokenStore } from './token-store';

export type BayesJudgement =
  { readonly active: false; readonly corpus: CorpusSize } | { readonly active: true; readonly corpus: CorpusSize; readonly probability: number; readonly tokensUsed: number };

export class BayesClassifier {
  constructor(
    private readonly store: TokenStore,
    readonly minMessages: number,
  ) {}

  async judge(tokens: readonly string[]): Promise<BayesJudgement> {
    const corpus = await this.store.corpusSize();
    if (!this.isActive(corpus)) return { active: false, corpus };
    const counts = await this.store.counts(tokens);
    const { probability, used } = spamProbability(counts, corpus);
    return { active: true, corpus, probability, tokensUsed: used };
  }

  isActive(corpus: CorpusSize): boolean {
    return corpus.spam >= this.minMessages && corpus.ham >= this.minMessages;
  }

  learn(identity: string, as: SpamClass, tokens: readonly string[]): Promise<LearnOutcome> {
    return this.store.learn(identity, as, tokens);
  }
}
