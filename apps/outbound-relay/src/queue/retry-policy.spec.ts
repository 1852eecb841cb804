import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '@mail/config';
import { failureRetryDelayMs, isFinalAttempt, retryDelayMs, retrySchedule, type RetryPolicy } from './retry-policy';

const read = (value?: string) => readConfig({ s: retrySchedule('OUTBOUND_RETRY_SCHEDULE', '5m,10m,30m,1h,2h,4h') }, { OUTBOUND_RETRY_SCHEDULE: value }).s;

describe('retrySchedule', () => {
  it('parses the default schedule into milliseconds', () => {
    expect(read()).toEqual([300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000]);
  });

  it('parses a short test schedule with spaces', () => {
    expect(read('1s, 1s ,2s')).toEqual([1000, 1000, 2000]);
  });

  it('names the variable and the expected form on a bad entry or a zero', () => {
    expect(() => read('5m,soon')).toThrow(ConfigError);
    expect(() => read('5m,soon')).toThrow(/OUTBOUND_RETRY_SCHEDULE must be a comma-separated list of positive durations/);
    expect(() => read('0s')).toThrow(/OUTBOUND_RETRY_SCHEDULE/);
  });
});

describe('retryDelayMs', () => {
  const schedule = [1000, 2000, 4000];

  it('waits the n-th entry after the n-th delivery failed, then repeats the last', () => {
    expect([1, 2, 3, 4, 50].map((n) => retryDelayMs(schedule, n))).toEqual([1000, 2000, 4000, 4000, 4000]);
  });

  it('treats a count below 1 as the first delivery', () => {
    expect(retryDelayMs(schedule, 0)).toBe(1000);
  });
});

describe('failureRetryDelayMs', () => {
  const schedule = [300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000];

  it('tries a message that failed on this side again after a second, doubling with each delivery', () => {
    expect([1, 2, 3, 4, 5].map((n) => failureRetryDelayMs(schedule, 1000, n))).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('never waits longer than the schedule would for that delivery, however many deliveries failed', () => {
    expect(failureRetryDelayMs(schedule, 1000, 10)).toBe(512_000);
    expect(failureRetryDelayMs(schedule, 1000, 15)).toBe(14_400_000);
    expect(failureRetryDelayMs(schedule, 1000, 10_000)).toBe(14_400_000);
    expect(failureRetryDelayMs([2000], 1000, 3)).toBe(2000);
  });

  it('treats a count below 1 as the first delivery', () => {
    expect(failureRetryDelayMs(schedule, 1000, 0)).toBe(1000);
  });
});

describe('isFinalAttempt', () => {
  const policy: RetryPolicy = { scheduleMs: [1000], maxAgeMs: 5 * 86_400_000, maxDeliver: 50 };
  const queuedAt = '2025-01-01T00:00:00.000Z';

  it('is false while the message is young and deliveries remain', () => {
    expect(isFinalAttempt(policy, queuedAt, 3, new Date('2025-01-03T00:00:00Z'))).toBe(false);
  });

  it('is true once the message reached the maximum age', () => {
    expect(isFinalAttempt(policy, queuedAt, 3, new Date('2025-01-06T00:00:00Z'))).toBe(true);
  });

  it('is true on the last delivery the consumer allows, so the message bounces instead of being dead-lettered', () => {
    expect(isFinalAttempt(policy, queuedAt, 50, new Date('2025-01-01T01:00:00Z'))).toBe(true);
  });
});
