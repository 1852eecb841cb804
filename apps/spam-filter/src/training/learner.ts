/**
 * Learning one message as spam or ham, whatever brought it (mailctl's
 * spam.train, a move into or out of Junk): the same parse and tokenizer as
 * classification, the message's identity so that learning is idempotent,
 * and the counts after it for the reply.
 */
import type { SpamClass, SpamTrainResponse } from '@mail/contracts';
import type { BayesClassifier } from '../bayes/bayes-classifier';
import { messageIdentity } from '../bayes/message-identity';
import type { TokenStore } from '../bayes/token-store';
import { teachesAnything, tokenize } from '../bayes/tokenizer';
import { parseContentUnderDeadline } from '../content/content-parser';

export interface LearnMetrics {
  learned(as: SpamClass, outcome: SpamTrainResponse['outcome']): void;
}

export class Learner {
  constructor(
    private readonly classifier: BayesClassifier,
    private readonly store: TokenStore,
    private readonly metrics?: LearnMetrics,
  ) {}

  async learn(raw: Buffer, as: SpamClass): Promise<SpamTrainResponse> {
    const parsed = await parseContentUnderDeadline(raw).catch(() => undefined);
    const content = parsed && teachesAnything(parsed) ? parsed : undefined;
    const tokens = content ? tokenize(content) : [];
    const outcome = content && tokens.length > 0 ? await this.classifier.learn(messageIdentity(content), as, tokens) : 'unusable';
    this.metrics?.learned(as, outcome);
    const corpus = await this.store.corpusSize();
    return { outcome, tokens: tokens.length, spamMessages: corpus.spam, hamMessages: corpus.ham };
  }
}
