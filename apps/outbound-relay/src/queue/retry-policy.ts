/**
 * When a queued message is tried again, and when the relay gives up.
 *
 * RFC 5321 §4.5.4.1: a sender retries at intervals of about 30 minutes or
 * more, and gives up after 4-5 days. The schedule is a list of intervals
 * (`5m,10m,30m,1h,2h,4h`): the n-th failed delivery waits the n-th entry,
 * and the last one repeats. JetStream holds the message meanwhile (the bus
 * naks with that delay), so a restart loses nothing.
 */
import { ConfigError, duration, list, type Reader } from '@mail/config';

/** The retry schedule and the give-up rules for one consumer. */
export interface RetryPolicy {
  /** Wait before the next attempt after the n-th failed delivery, in ms (n ≥ 1); the last entry repeats. */
  readonly scheduleMs: readonly number[];
  /** A message older than this is given up: its temporary failures become permanent. */
  readonly maxAgeMs: number;
  /** The consumer's delivery limit (the bus dead-letters beyond it); the last delivery gives up too. */
  readonly maxDeliver: number;
  /** After this long with recipients still undelivered, the sender gets one delay notice (RFC 3464 Action: delayed). */
  readonly delayNoticeAfterMs?: number;
  /** Wait before trying recipients again whose domain was at its concurrency limit (not an attempt). */
  readonly throttleDelayMs?: number;
}

const scheduleForm = 'a comma-separated list of positive durations like 5m,10m,30m,1h';

/** Reads a retry schedule such as `5m,10m,30m,1h,2h,4h` (milliseconds out). */
export function retrySchedule(name: string, fallback: string): Reader<number[]> {
  return (env) => {
    const items = list(name, fallback.split(','))(env);
    const schedule = items.map((item) => {
      try {
        return duration(name, item)({});
      } catch (error) {
        if (error instanceof ConfigError) throw new ConfigError(name, scheduleForm, env[name] ?? fallback);
        throw error;
      }
    });
    if (schedule.length === 0 || schedule.some((ms) => ms <= 0)) throw new ConfigError(name, scheduleForm, env[name] ?? fallback);
    return schedule;
  };
}

/** The delay before redelivery after delivery number `deliveryCount` (1 = first) failed. */
export function retryDelayMs(scheduleMs: readonly number[], deliveryCount: number): number {
  const index = Math.min(Math.max(deliveryCount, 1), scheduleMs.length) - 1;
  return scheduleMs[index] ?? 0;
}

/**
 * The delay before redelivery after delivery number `deliveryCount` failed
 * on this side — Redis or NATS unreachable or too slow, a bug — rather than
 * at a remote server, whose temporary answers wait the schedule through the
 * queue record (a DeliveryDeferredError). RFC 5321 §4.5.4.1's intervals are
 * between attempts at a destination; a round that failed here learned
 * nothing about it. `firstMs`, doubled for each earlier delivery, never
 * longer than the schedule's wait: a moment's overload of Redis (a pipeline
 * past its command timeout) costs a message a second, not the schedule's
 * first five minutes, and a long outage still backs off to the schedule.
 */
export function failureRetryDelayMs(scheduleMs: readonly number[], firstMs: number, deliveryCount: number): number {
  const doublings = Math.min(Math.max(deliveryCount, 1) - 1, 40);
  return Math.min(retryDelayMs(scheduleMs, deliveryCount), firstMs * 2 ** doublings);
}

/**
 * Is this delivery the last one? True once the message has been queued for
 * `maxAgeMs` (RFC 5321 §4.5.4.1: give up after 4-5 days), or on the
 * consumer's last allowed delivery, so a message is bounced rather than
 * dead-lettered.
 */
export function isFinalAttempt(policy: RetryPolicy, queuedAt: string, deliveryCount: number, now: Date): boolean {
  const queued = Date.parse(queuedAt);
  const age = Number.isNaN(queued) ? 0 : now.getTime() - queued;
  return age >= policy.maxAgeMs || deliveryCount >= policy.maxDeliver;
}
