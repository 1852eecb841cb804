/**
 * What users' moves said, per day: messages moved out of Junk (false
 * positives) and into it (missed spam), counted where spam-filter already
 * sees every move — the `feedback.classified` events — and read back by
 * `spam.stats` (mailctl spam stats). In Redis, under REDIS_KEY_PREFIX:
 *   feedback:<YYYY-MM-DD>:ham|spam   set of the day's moves (user, queue id, time)
 * A set rather than a counter, so that an event delivered twice (a
 * redelivery after a crash) counts once; each key expires after
 * SPAM_FEEDBACK_MAX_DAYS and a day. Days are UTC days of the move (`at`).
 */
import type { Redis } from 'ioredis';
import { SPAM_FEEDBACK_MAX_DAYS, type FeedbackClassified, type SpamClass, type SpamFeedbackDay } from '@mail/contracts';

const dayMs = 86_400_000;
const keepSeconds = (SPAM_FEEDBACK_MAX_DAYS + 1) * 86_400;

const keyOf = (day: string, verdict: SpamClass) => `feedback:${day}:${verdict}`;

/** `YYYY-MM-DD` of a time, UTC. */
function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export class FeedbackCounts {
  constructor(private readonly redis: Redis) {}

  /** Counts one move, once however often its event is delivered. */
  async record(event: FeedbackClassified): Promise<void> {
    const at = Date.parse(event.at);
    const key = keyOf(utcDay(Number.isNaN(at) ? Date.now() : at), event.verdict);
    const move = JSON.stringify([event.user, event.queueId ?? '', event.at]);
    await this.redis.multi().sadd(key, move).expire(key, keepSeconds).exec();
  }

  /** The last `days` days up to `now`'s, oldest first, in one round trip. */
  async lastDays(days: number, now = new Date()): Promise<SpamFeedbackDay[]> {
    const names = Array.from({ length: Math.min(days, SPAM_FEEDBACK_MAX_DAYS) }, (_, i) => utcDay(now.getTime() - (days - 1 - i) * dayMs));
    const pipeline = this.redis.pipeline();
    for (const day of names) pipeline.scard(keyOf(day, 'ham')).scard(keyOf(day, 'spam'));
    const replies = (await pipeline.exec()) ?? [];
    const count = (i: number): number => {
      const [error, value] = replies[i] ?? [null, 0];
      if (error) throw error;
      return Number(value);
    };
    return names.map((day, i) => ({ day, falsePositives: count(2 * i), missedSpam: count(2 * i + 1) }));
  }
}
