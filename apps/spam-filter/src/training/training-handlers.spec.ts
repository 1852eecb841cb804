import { describe, expect, it } from 'vitest';
import type { BodyStore } from '@mail/bus';
import type { FeedbackClassified, SpamFeedbackDay } from '@mail/contracts';
import type { BayesClassifier } from '../bayes/bayes-classifier';
import type { TokenStore } from '../bayes/token-store';
import type { Learner } from './learner';
import { createFeedbackHandler, createStatsHandler } from './training-handlers';

const silent = { info: () => undefined };

describe('createFeedbackHandler', () => {
  it('counts the move before learning, so a move whose message teaches nothing still shows in the stats', async () => {
    const steps: string[] = [];
    const learner = { learn: async () => (steps.push('learn'), { outcome: 'unusable', tokens: 0, spamMessages: 0, hamMessages: 0 }) } as unknown as Learner;
    const handler = createFeedbackHandler(learner, {} as BodyStore, silent, { record: async (event) => void steps.push(`record ${event.verdict}`) });
    const event: FeedbackClassified = { version: 1, user: 'bob@example.test', verdict: 'ham', at: '2026-11-21T10:00:00.000Z', content: { kind: 'inline', base64: 'aGk=' } };
    await handler(event);
    expect(steps).toEqual(['record ham', 'learn']);
  });
});

describe('createStatsHandler', () => {
  it('reports the feedback of the days asked for, 14 when the request names none', async () => {
    const asked: number[] = [];
    const handler = createStatsHandler({
      classifier: { minMessages: 5, isActive: () => false } as unknown as BayesClassifier,
      store: { corpusSize: async () => ({ spam: 1, ham: 2 }), tokenCounts: async () => ({ spam: 3, ham: 4 }) } as unknown as TokenStore,
      feedback: { lastDays: async (days): Promise<SpamFeedbackDay[]> => (asked.push(days), [{ day: '2026-11-21', falsePositives: 1, missedSpam: 2 }]) },
      zones: async () => [],
    });
    expect(await handler({ version: 1 })).toMatchObject({ spamMessages: 1, hamMessages: 2, feedback: [{ day: '2026-11-21', falsePositives: 1, missedSpam: 2 }] });
    await handler({ version: 1, feedbackDays: 3 });
    expect(asked).toEqual([14, 3]);
  });
});
