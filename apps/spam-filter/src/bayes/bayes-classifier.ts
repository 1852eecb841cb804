/**
 * The statistical classifier the seeds ask for ("build a statistical model
 * of good and bad messages from user feedback"): learns from training
 * requests and Junk moves, and judges a message only once it has learned
 * at least SPAM_BAYES_MIN_MESSAGES of each class (SpamAssassin's
 * bayes_min_spam_num / bayes_min_ham_num) — an untrained classifier is a
 * source of false positives.
 */
import type { SpamClass } from '@mail/contracts';
import type { RedisBatch } from '../redis-batch';
import { spamProbability, type CorpusSize, type TokenCounts } from './robinson-fisher';
import { tokenId, type LearnOutcome, type TokenStore } from './token-store';

export type BayesJudgement =
  { readonly active: false; readonly corpus: CorpusSize } | { readonly active: true; readonly corpus: CorpusSize; readonly probability: number; readonly tokensUsed: number };

const unseen: TokenCounts = { spam: 0, ham: 0 };

/** A message's tokens (tokenizer.ts), or the function that tokenizes it when they are needed. */
export type Tokens = readonly string[] | (() => readonly string[]);

/** Whether the classifier has learned enough of each class to take part (SPAM_BAYES_MIN_MESSAGES). */
export function hasLearnedEnough(corpus: CorpusSize, minMessages: number): boolean {
  return corpus.spam >= minMessages && corpus.ham >= minMessages;
}

/** The judgement of one message from its token ids (tokenId) and the counts read for them; wherever the counts come from, the same arithmetic. */
export function judgeTokenIds(ids: readonly string[], counts: ReadonlyMap<string, TokenCounts>, corpus: CorpusSize): BayesJudgement {
  const { probability, used } = spamProbability(
    ids.map((id) => counts.get(id) ?? unseen),
    corpus,
  );
  return { active: true, corpus, probability, tokensUsed: used };
}

export class BayesClassifier {
  /** Whether the corpus was large enough at the last batch's look (unknown before the first). */
  #wasActive: boolean | undefined;

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

  /**
   * Whether a batch's messages should be tokenized before judgeIn: not
   * while the corpus was too small at the last look (tokenizing and hashing
   * every word of every message for a judgement that cannot take place
   * cost about a tenth of a millisecond per message). judgeIn tokenizes
   * them itself in the batch that finds the corpus grown.
   */
  get wantsTokens(): boolean {
    return this.#wasActive !== false;
  }

  /**
   * judge() for each message of a batch (its tokens, or a function that
   * tokenizes it when needed), the reads in `batch`'s round trip: the
   * corpus size and the counts of every distinct token of the batch, the
   * same figures judge() reads one message at a time, so the same
   * probabilities. While the corpus was too small at the last look only its
   * size is read (an untrained classifier would read thousands of counts
   * for nothing) and no message is tokenized; the batch that finds it grown
   * tokenizes its messages and reads the counts in a round trip of its own.
   * Rejects when Redis cannot answer.
   */
  async judgeIn(batch: RedisBatch, messages: readonly Tokens[]): Promise<BayesJudgement[]> {
    const idsOf = () => messages.map((message) => (typeof message === 'function' ? message() : message).map(tokenId));
    const corpusRead = this.store.corpusSizeIn(batch);
    const ids = this.#wasActive === false ? undefined : idsOf();
    const distinct = ids === undefined ? undefined : [...new Set(ids.flat())];
    const countsRead = distinct === undefined || distinct.length === 0 ? undefined : this.store.countsIn(batch, distinct);
    countsRead?.catch(() => undefined);
    const corpus = await corpusRead;
    this.#wasActive = this.isActive(corpus);
    if (!this.#wasActive) return messages.map(() => ({ active: false, corpus }));
    const own = ids ?? idsOf();
    const all = distinct ?? [...new Set(own.flat())];
    const counts = all.length === 0 ? new Map<string, TokenCounts>() : await (countsRead ?? this.store.countsById(all));
    return own.map((messageIds) => judgeTokenIds(messageIds, counts, corpus));
  }

  isActive(corpus: CorpusSize): boolean {
    return hasLearnedEnough(corpus, this.minMessages);
  }

  learn(identity: string, as: SpamClass, tokens: readonly string[]): Promise<LearnOutcome> {
    return this.store.learn(identity, as, tokens);
  }
}
