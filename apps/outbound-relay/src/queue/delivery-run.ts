/**
 * One delivery round of one queued message, under its lease:
 * 1. announce what an interrupted round settled but did not announce;
 * 2. deliver to the unsettled recipients that are due (each recipient has
 *    its own next-attempt time: a deferred one waits for the retry schedule,
 *    a throttled one only for a free slot);
 * 3. record the outcomes (settled → events and notices; deferred → events);
 * 4. when the message has waited OUTBOUND_DELAY_NOTICE_AFTER, tell the
 *    sender once that it is delayed (RFC 3464 Action: delayed);
 * 5. finish — forget the queue record, and delete the body when no local
 *    recipient needs it — or throw DeliveryDeferredError with the time to
 *    the earliest due recipient.
 * Temporary failures become bounces once the message is too old (RFC 5321
 * §4.5.4.1). A message near the consumer's delivery limit is renewed (a
 * fresh copy published, this one acked) rather than dead-lettered.
 */
import type { Delivery } from '@mail/bus';
import type { OutboundQueued } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import { uniqueMailboxes } from '../delivery/recipient-groups';
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import { DeliveryDeferredError } from './deferral';
import type { DeliveryNotifier } from './delivery-notifier';
import type { DoneStore, SettledRecipient } from './done-store';
import type { OutcomeRecorder } from './outcome-recorder';
import { earliestRetry, isDue, nextPending, noticeRecipientsOf } from './pending-recipients';
import type { QueueRecord, QueueStore } from './queue-store';
import { isFinalAttempt, type RetryPolicy } from './retry-policy';

export interface DeliveryRunDependencies {
  readonly done: DoneStore;
  readonly queue: QueueStore;
  readonly recorder: OutcomeRecorder;
  readonly notifier: DeliveryNotifier;
  readonly policy: RetryPolicy;
  readonly log: Pick<Logger, 'info' | 'warn'>;
  /**
   * One delivery attempt for these recipients of the message; one outcome
   * per recipient. `onDestination` gets each destination's outcomes as soon
   * as they are known, before the others are waited for.
   */
  deliver(message: OutboundQueued, recipients: readonly string[], onDestination?: (outcomes: readonly RecipientOutcome[]) => Promise<void>): Promise<RecipientOutcome[]>;
  /** Publishes the message again on the outbound stream; resolves with the new copy's stream sequence. */
  requeue(message: OutboundQueued, msgId: string): Promise<number>;
  /** Removes the message's body from the object store. */
  deleteBody(message: OutboundQueued): Promise<void>;
  readonly now?: () => Date;
}

export type RunDelivery = Pick<Delivery, 'deliveryCount' | 'streamSequence'>;

/** What a round does with a message, from its records: nothing (a stale copy), finish it, wait, or deliver to `due`. */
export type RoundPlan = { readonly kind: 'stale' } | { readonly kind: 'settled' } | { readonly kind: 'deliver'; readonly state: QueueRecord; readonly due: readonly string[] };

/** The round's plan (steps 2 and 5 of the header); `state` is the record to save before delivering. */
export function planRound(message: OutboundQueued, delivery: RunDelivery, record: QueueRecord | undefined, done: ReadonlyMap<string, SettledRecipient>, now: Date): RoundPlan {
  if (record && delivery.streamSequence < record.activeSeq) return { kind: 'stale' };
  const unsettled = uniqueMailboxes(message.envelope.recipients.map((r) => r.address)).filter((address) => !done.has(address));
  if (unsettled.length === 0) return { kind: 'settled' };
  const pending = Object.fromEntries(unsettled.map((a) => [a, record?.pending[a] ?? { state: 'queued' as const }]));
  const state: QueueRecord = {
    message,
    activeSeq: Math.max(record?.activeSeq ?? 0, delivery.streamSequence),
    attempts: record?.attempts ?? 0,
    pending,
    updatedAt: now.toISOString(),
  };
  return { kind: 'deliver', state, due: unsettled.filter((address) => isDue(pending[address], now)) };
}

/** Nothing due yet: the nak waits until the earliest recipient's time. */
export function notDueYet(state: QueueRecord, now: Date): DeliveryDeferredError {
  const count = Object.keys(state.pending).length;
  return new DeliveryDeferredError(state.message.queueId, count, Math.max(0, earliestRetry(state.pending, now) - now.getTime()), 'recipient(s) not due yet');
}

/** What the attempt's outcomes make of the round (step 3): final outcomes, waiting ones, and the record to keep (none: finished). */
export interface RoundResult {
  readonly attempts: number;
  readonly settled: SettledRecipient[];
  readonly waiting: RecipientOutcome[];
  /** Waiting after a real attempt (not throttled): a `deferred` event each. */
  readonly deferred: RecipientOutcome[];
  readonly updated: QueueRecord | undefined;
}

export function concludeRound(policy: RetryPolicy, state: QueueRecord, due: readonly string[], delivered: readonly RecipientOutcome[], delivery: RunDelivery, now: Date): RoundResult {
  const outcomes = new Map(delivered.map((o) => [o.recipient, o]));
  const final = isFinalAttempt(policy, state.message.queuedAt, delivery.deliveryCount, now);
  const attempts = state.attempts + (due.some((r) => !outcomes.get(r)?.throttled) ? 1 : 0);
  const settled: SettledRecipient[] = [];
  const waiting: RecipientOutcome[] = [];
  for (const recipient of due) {
    const outcome = outcomes.get(recipient) ?? { recipient, status: 'temporary', detail: 'no outcome for this recipient' };
    if (outcome.status === 'temporary' && !final) waiting.push(outcome);
    else settled.push(settledOf(outcome, now));
  }
  const next = nextPending(state.pending, settled, waiting, attempts, policy, now);
  const updated = Object.keys(next).length === 0 ? undefined : { ...state, attempts, pending: next, updatedAt: now.toISOString() };
  return { attempts, settled, waiting, deferred: waiting.filter((o) => !o.throttled), updated };
}

/** The nak of a round that leaves recipients waiting: until the earliest one's time. */
export function deferral(updated: QueueRecord, now: Date): DeliveryDeferredError {
  return new DeliveryDeferredError(updated.message.queueId, Object.keys(updated.pending).length, Math.max(0, earliestRetry(updated.pending, now) - now.getTime()));
}

/** The round is near the consumer's delivery limit: renew the message instead of naking it. */
export function nearDeliveryLimit(policy: RetryPolicy, delivery: RunDelivery): boolean {
  return delivery.deliveryCount >= policy.maxDeliver - 1;
}

export async function runDelivery(deps: DeliveryRunDependencies, message: OutboundQueued, delivery: RunDelivery): Promise<void> {
  const now = deps.now?.() ?? new Date();
  const record = await deps.queue.load(message.queueId);
  if (record && delivery.streamSequence < record.activeSeq) return;
  const done = await deps.done.load(message.queueId);
  await announceLeftovers(deps, message, done);
  const plan = planRound(message, delivery, record, done, now);
  if (plan.kind === 'stale') return;
  if (plan.kind === 'settled') return finishMessage(deps, message);
  await deps.queue.save(plan.state);
  if (plan.due.length === 0) throw notDueYet(plan.state, now);

  const outcomes = await deps.deliver(message, plan.due, (atDestination) => recordFinal(deps.recorder, message.queueId, atDestination, now));
  const result = concludeRound(deps.policy, plan.state, plan.due, outcomes, delivery, now);
  await deps.recorder.settle(message, result.settled);
  logOutcomes(deps.log, message.queueId, result.attempts, result.settled, result.waiting);
  if (result.deferred.length > 0) await deps.recorder.defer(message, result.deferred, result.attempts);

  if (!result.updated) return finishMessage(deps, message);
  await sendDelayNotice(deps, message, result.updated.pending, result.waiting, now);
  await deps.queue.save(result.updated);
  if (nearDeliveryLimit(deps.policy, delivery)) return renew(deps, result.updated, delivery);
  throw deferral(result.updated, now);
}

/** Step 1: what an interrupted round settled but did not announce. */
export async function announceLeftovers(deps: Pick<DeliveryRunDependencies, 'recorder'>, message: OutboundQueued, done: ReadonlyMap<string, SettledRecipient>): Promise<void> {
  const unannounced = [...done.values()].filter((s) => !s.announced);
  if (unannounced.length > 0) await deps.recorder.announce(message, unannounced);
}

/** Every recipient settled: the queue forgets the message; its body goes when no local recipient needs it. */
export async function finishMessage(deps: Pick<DeliveryRunDependencies, 'queue' | 'deleteBody' | 'log'>, message: OutboundQueued): Promise<void> {
  await deps.queue.remove(message.queueId);
  await dropBody(deps, message);
}

/** The body of a finished message, unless local recipients read it too; a failure only leaves it to the object store's TTL. */
export async function dropBody(deps: Pick<DeliveryRunDependencies, 'deleteBody' | 'log'>, message: OutboundQueued): Promise<void> {
  // mailbox-store reads the same body for local recipients (and copies it into PostgreSQL); those bodies live out their TTL
  if (message.localRecipients !== 0) return;
  try {
    await deps.deleteBody(message);
  } catch (error) {
    deps.log.warn({ err: error, queueId: message.queueId }, 'deleting the delivered message body failed; it expires with the object store TTL');
  }
}

/** Once per message, after OUTBOUND_DELAY_NOTICE_AFTER: a delay notice for the recipients still waiting. */
export async function sendDelayNotice(
  deps: Pick<DeliveryRunDependencies, 'policy' | 'done' | 'notifier'>,
  message: OutboundQueued,
  pending: QueueRecord['pending'],
  latest: readonly RecipientOutcome[],
  now: Date,
): Promise<void> {
  const after = deps.policy.delayNoticeAfterMs;
  if (after === undefined || now.getTime() - Date.parse(message.queuedAt) < after) return;
  if (await deps.done.noticeSent(message.queueId, 'delay-notice')) return;
  await deps.notifier.notify(message, 'delayed', noticeRecipientsOf(pending, latest, now));
  await deps.done.markNoticeSent(message.queueId, 'delay-notice', now);
}

/** Near the consumer's delivery limit: a fresh copy carries on (the queue record points at it), this one is acked. */
export async function renew(deps: Pick<DeliveryRunDependencies, 'requeue' | 'queue' | 'log'>, record: QueueRecord, delivery: RunDelivery): Promise<void> {
  const activeSeq = await deps.requeue(record.message, `${record.message.queueId}:renew:${delivery.streamSequence}`);
  await deps.queue.save({ ...record, activeSeq });
  deps.log.info({ queueId: record.message.queueId, deliveryCount: delivery.deliveryCount, activeSeq }, 'queued message renewed before its delivery limit');
}

/**
 * The final outcomes of one destination recorded as soon as they are known
 * (retried through a short outage of the store): a remote 250 cannot be
 * taken back, and a crash before the record would send the message again.
 * concludeRound settles the same recipients the same way; temporary
 * failures wait for it (a last attempt settles them as expired).
 */
export async function recordFinal(recorder: Pick<OutcomeRecorder, 'record'>, queueId: string, outcomes: readonly RecipientOutcome[], now: Date): Promise<void> {
  const final = outcomes.filter((outcome) => outcome.status !== 'temporary');
  if (final.length === 0) return;
  await recorder.record(
    queueId,
    final.map((outcome) => settledOf(outcome, now)),
  );
}

/** A final outcome; a temporary failure on the last attempt is a bounce with "delivery time expired". */
function settledOf(outcome: RecipientOutcome, at: Date): SettledRecipient {
  // RFC 3463 §3.5: X.4.7 delivery time expired
  const expired = outcome.status === 'temporary';
  return {
    recipient: outcome.recipient,
    outcome: outcome.status === 'delivered' ? 'delivered' : 'bounced',
    detail: expired ? `delivery time expired (4.4.7); last attempt: ${outcome.detail}` : outcome.detail,
    at: at.toISOString(),
    announced: false,
    ...(expired ? { expired } : {}),
    ...(outcome.dsnPassed ? { dsnPassed: true } : {}),
    ...(outcome.remote ? { remote: outcome.remote } : {}),
    ...(outcome.reply ? { reply: outcome.reply } : {}),
  };
}

/** One line per recipient, as a mail log has it: delivered, deferred, throttled or bounced, and why. */
export function logOutcomes(log: Pick<Logger, 'info'>, queueId: string, attempt: number, settled: readonly SettledRecipient[], waiting: readonly RecipientOutcome[]): void {
  for (const s of settled) log.info({ queueId, attempt, recipient: s.recipient, outcome: s.outcome, detail: s.detail }, `recipient ${s.outcome}`);
  for (const w of waiting) {
    const outcome = w.throttled ? 'throttled' : 'deferred';
    log.info({ queueId, attempt, recipient: w.recipient, outcome, detail: w.detail }, `recipient ${outcome}`);
  }
}
