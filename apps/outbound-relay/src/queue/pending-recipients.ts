/**
 * When each unsettled recipient of a queued message is tried next. After a
 * temporary failure: the retry schedule's interval for the message's
 * attempt count (RFC 5321 §4.5.4.1). After being throttled by the domain's
 * concurrency limit: a short wait (OUTBOUND_THROTTLE_DELAY, plus up to half
 * again at random so waiting messages do not all come back at once).
 */
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import type { NoticeRecipient } from './delivery-notifier';
import type { SettledRecipient } from './done-store';
import type { PendingRecipient, QueueRecord } from './queue-store';
import { retryDelayMs, type RetryPolicy } from './retry-policy';

type Pending = QueueRecord['pending'];

/** A redelivery this close to a recipient's time counts as on time (JetStream's delay is not exact). */
const DUE_TOLERANCE_MS = 1000;
const DEFAULT_THROTTLE_DELAY_MS = 5000;

export function isDue(pending: PendingRecipient | undefined, now: Date): boolean {
  return !pending?.retryAt || Date.parse(pending.retryAt) <= now.getTime() + DUE_TOLERANCE_MS;
}

/** The earliest next-attempt time (ms since the epoch); `now` when one is due already. */
export function earliestRetry(pending: Pending, now: Date): number {
  const times = Object.values(pending).map((p) => (p.retryAt ? Date.parse(p.retryAt) : now.getTime()));
  return times.length === 0 ? now.getTime() : Math.min(...times);
}

/** The pending set after a round: settled recipients leave, waiting ones get their next time. */
export function nextPending(
  pending: Pending,
  settled: readonly SettledRecipient[],
  waiting: readonly RecipientOutcome[],
  attempts: number,
  policy: Pick<RetryPolicy, 'scheduleMs' | 'throttleDelayMs'>,
  now: Date,
  random: () => number = Math.random,
): Record<string, PendingRecipient> {
  const next: Record<string, PendingRecipient> = { ...pending };
  for (const s of settled) delete next[s.recipient];
  const throttleMs = policy.throttleDelayMs ?? DEFAULT_THROTTLE_DELAY_MS;
  for (const w of waiting) {
    const waitMs = w.throttled ? throttleMs * (1 + random() / 2) : retryDelayMs(policy.scheduleMs, attempts);
    next[w.recipient] = { state: w.throttled ? 'throttled' : 'deferred', detail: w.detail, retryAt: new Date(now.getTime() + waitMs).toISOString() };
  }
  return next;
}

/** What a delay notice says about each waiting recipient: this round's outcome, else the last one recorded. */
export function noticeRecipientsOf(pending: Pending, latest: readonly RecipientOutcome[], now: Date): NoticeRecipient[] {
  const byRecipient = new Map(latest.map((o) => [o.recipient, o]));
  return Object.entries(pending).map(([recipient, p]) => {
    const outcome = byRecipient.get(recipient);
    return {
      recipient,
      detail: outcome?.detail ?? p.detail ?? 'not delivered yet',
      at: now.toISOString(),
      ...(outcome?.remote ? { remote: outcome.remote } : {}),
      ...(outcome?.reply ? { reply: outcome.reply } : {}),
    };
  });
}
