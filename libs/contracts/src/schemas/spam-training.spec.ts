import { describe, expect, it } from 'vitest';
import { FeedbackClassified, SPAM_FEEDBACK_MAX_DAYS, SPAM_TRAIN_MAX_OCTETS, SpamStatsRequest, SpamStatsResponse, SpamTrainRequest } from './spam-training';

describe('spam training schemas', () => {
  it('accepts a base64 message up to the limit and refuses more, or text that is not base64', () => {
    const largest = Buffer.alloc(SPAM_TRAIN_MAX_OCTETS, 0x61).toString('base64');
    expect(SpamTrainRequest.safeParse({ version: 1, class: 'spam', message: largest }).success).toBe(true);
    const tooLarge = Buffer.alloc(SPAM_TRAIN_MAX_OCTETS + 3, 0x61).toString('base64');
    expect(SpamTrainRequest.safeParse({ version: 1, class: 'spam', message: tooLarge }).success).toBe(false);
    expect(SpamTrainRequest.safeParse({ version: 1, class: 'ham', message: 'not base64!' }).success).toBe(false);
    expect(SpamTrainRequest.safeParse({ version: 1, class: 'eggs', message: 'aGk=' }).success).toBe(false);
    // The request stays under NATS's default 1 MiB payload limit.
    expect(JSON.stringify({ version: 1, class: 'spam', message: largest }).length).toBeLessThan(1024 * 1024);
  });

  it('carries feedback with the message stored or inline', () => {
    const base = { version: 1, user: 'bob@example.test', verdict: 'spam', at: '2026-11-21T10:00:00.000Z' };
    const stored = { kind: 'stored', body: { bucket: 'mail_bodies', key: 'feedback/1', size: 10, sha256: 'a'.repeat(64) } };
    expect(FeedbackClassified.safeParse({ ...base, content: stored }).success).toBe(true);
    expect(FeedbackClassified.safeParse({ ...base, verdict: 'ham', content: { kind: 'inline', base64: 'aGk=' } }).success).toBe(true);
    expect(FeedbackClassified.safeParse({ ...base, content: { kind: 'inline' } }).success).toBe(false);
  });

  it('asks for days of feedback within what is kept, and a reply without feedback stays valid (additive)', () => {
    expect(SpamStatsRequest.safeParse({ version: 1 }).success).toBe(true);
    expect(SpamStatsRequest.safeParse({ version: 1, feedbackDays: SPAM_FEEDBACK_MAX_DAYS }).success).toBe(true);
    expect(SpamStatsRequest.safeParse({ version: 1, feedbackDays: SPAM_FEEDBACK_MAX_DAYS + 1 }).success).toBe(false);
    const reply = { spamMessages: 1, hamMessages: 2, spamTokens: 3, hamTokens: 4, minMessages: 5, active: false, zones: [] };
    expect(SpamStatsResponse.safeParse(reply).success).toBe(true);
    expect(SpamStatsResponse.safeParse({ ...reply, feedback: [{ day: '2026-11-21', falsePositives: 1, missedSpam: 0 }] }).success).toBe(true);
    expect(SpamStatsResponse.safeParse({ ...reply, feedback: [{ day: '21.11.2026', falsePositives: 1, missedSpam: 0 }] }).success).toBe(false);
  });
});
