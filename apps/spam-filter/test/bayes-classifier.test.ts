/**
 * The Bayes classifier against a real Redis: trained on a corpus the test
 * builds (250 spam, 250 ham), it must sort 200 held-out messages it never
 * saw far better than chance (50 %): at least 85 % right, and no held-out
 * ham judged 95 % spam or more (the bands that score highest). The corpus
 * is random words, so its word pairs are noise: with them (issue 16's
 * second round, measured better on the SpamAssassin corpus) 89.5 % here,
 * 90 % or a little more before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createTestRedisPrefix } from '@mail/testing';
import { BayesClassifier } from '../src/bayes/bayes-classifier';
import { TokenStore } from '../src/bayes/token-store';
import { tokenize } from '../src/bayes/tokenizer';
import { parseContent } from '../src/content/message-content';
import { RedisBatch } from '../src/redis-batch';
import { Learner } from '../src/training/learner';
import { buildCorpus, type CorpusMessage } from './synthetic-corpus';

const trainingSize = 250;
const heldOutSize = 100;

describe('Bayes classifier', () => {
  let redis: Redis;
  let prefix: Awaited<ReturnType<typeof createTestRedisPrefix>>;
  let classifier: BayesClassifier;
  let learner: Learner;
  let store: TokenStore;
  const corpus = buildCorpus(trainingSize + heldOutSize);
  const training = [...corpus.spam.slice(0, trainingSize), ...corpus.ham.slice(0, trainingSize)];
  const heldOut = [...corpus.spam.slice(trainingSize), ...corpus.ham.slice(trainingSize)];

  beforeAll(async () => {
    prefix = await createTestRedisPrefix('bayes');
    redis = new Redis(prefix.url, { keyPrefix: prefix.prefix });
    store = new TokenStore(redis);
    classifier = new BayesClassifier(store, 200);
    learner = new Learner(classifier, store);
  });
  afterAll(async () => {
    redis?.disconnect();
    await prefix?.cleanup();
  });

  const probabilityOf = async (message: CorpusMessage) => {
    const judgement = await classifier.judge(tokenize(await parseContent(message.raw)));
    if (!judgement.active) throw new Error('classifier not active');
    return judgement.probability;
  };

  it('stays out of verdicts until it has learned enough of each class', async () => {
    for (const message of corpus.spam.slice(0, 10)) await learner.learn(message.raw, 'spam');
    const judgement = await classifier.judge(tokenize(await parseContent(heldOut[0]?.raw ?? Buffer.alloc(0))));
    expect(judgement).toMatchObject({ active: false, corpus: { spam: 10, ham: 0 } });
  });

  it('separates held-out spam from ham far better than chance', async () => {
    for (const message of training) await learner.learn(message.raw, message.kind);
    expect(await store.corpusSize()).toEqual({ spam: trainingSize, ham: trainingSize });
    const judged = await Promise.all(heldOut.map(async (message) => ({ kind: message.kind, p: await probabilityOf(message) })));
    const right = judged.filter((j) => (j.kind === 'spam' ? j.p >= 0.5 : j.p < 0.5)).length;
    const accuracy = right / judged.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
    expect(judged.filter((j) => j.kind === 'ham' && j.p >= 0.95)).toEqual([]);
  });

  it('judges a batch in one round trip with exactly the probabilities of one message at a time', async () => {
    // Learning is idempotent: trained already when the tests before ran, trained now when this one runs alone.
    for (const message of training) await learner.learn(message.raw, message.kind);
    const tokens = await Promise.all(heldOut.map(async (message) => tokenize(await parseContent(message.raw))));
    const batch = new RedisBatch(redis);
    const judging = classifier.judgeIn(batch, tokens);
    await batch.send();
    const together = await judging;
    const alone = await Promise.all(tokens.map((own) => classifier.judge(own)));
    expect(together).toEqual(alone);
    expect(together.every((judgement) => judgement.active)).toBe(true);

    // A classifier found untrained reads only the corpus size and tokenizes nothing; the batch that finds it
    // trained tokenizes its messages and reads the counts after it.
    let tokenized = 0;
    const judgedIn = async (judge: BayesClassifier) => {
      const next = new RedisBatch(redis);
      const judged = judge.judgeIn(
        next,
        tokens.map((own) => () => {
          tokenized += 1;
          return own;
        }),
      );
      await next.send();
      return judged;
    };
    const corpus = await store.corpusSize();
    const growing = new BayesClassifier(store, Math.min(corpus.spam, corpus.ham) + 1);
    expect(growing.wantsTokens).toBe(true);
    expect((await judgedIn(growing)).some((judgement) => judgement.active)).toBe(false);
    expect(growing.wantsTokens).toBe(false);
    tokenized = 0;
    expect((await judgedIn(growing)).some((judgement) => judgement.active)).toBe(false);
    expect(tokenized).toBe(0);
    const more = buildCorpus(1, 99);
    for (const message of [...more.spam, ...more.ham]) await learner.learn(message.raw, message.kind);
    const grown = await judgedIn(growing);
    expect(tokenized).toBe(tokens.length);
    expect(growing.wantsTokens).toBe(true);
    expect(grown.every((judgement) => judgement.active)).toBe(true);
    expect(grown).toEqual(await Promise.all(tokens.map((own) => growing.judge(own))));
  });

  it('learns a message once, and moves it when relearned as the other class', async () => {
    const message = heldOut[0] as CorpusMessage;
    const before = await store.corpusSize();
    expect((await learner.learn(message.raw, 'spam')).outcome).toBe('learned');
    expect((await learner.learn(message.raw, 'spam')).outcome).toBe('duplicate');
    // The copy a user moves out of Junk carries our header fields on top: still the same message.
    const stored = Buffer.concat([Buffer.from('X-Spam-Status: Yes, score=9.0\r\nReceived: from x by y\r\n'), message.raw]);
    const moved = await learner.learn(stored, 'ham');
    expect(moved).toMatchObject({ outcome: 'relearned', spamMessages: before.spam, hamMessages: before.ham + 1 });
    expect((await learner.learn(Buffer.from('\r\n\r\n'), 'spam')).outcome).toBe('unusable');
  });
});
