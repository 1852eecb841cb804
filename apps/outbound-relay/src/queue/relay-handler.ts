/**
 * The consumer of queued outbound mail. For one delivery of one message:
 * skip the recipients already settled (delivered or bounced on an earlier
 * delivery), deliver to the rest, record what happened, and then either
 * finish (the bus acks) or throw DeliveryDeferredError, so the bus naks and
 * JetStream redelivers the message after the next retry-schedule interval.
 * The message is acked only once every recipient is delivered or bounced;
 * when it is too old (or on its last allowed delivery), temporary failures
 * become bounces (RFC 5321 §4.5.4.1).
 */
import type { OutboundQueued } from '@mail/contracts';
import type { Delivery } from '@mail/bus';
import type { Logger } from '@mail/telemetry';
import { uniqueMailboxes } from '../delivery/recipient-groups';
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import type { DoneStore, SettledRecipient } from './done-store';
import type { OutcomeRecorder } from './outcome-recorder';
import { isFinalAttempt, retryDelayMs, type RetryPolicy } from './retry-policy';

/** Some recipients failed temporarily: the message is to be delivered again later. */
export class DeliveryDeferredError extends Error {
  override name = 'DeliveryDeferredError';
  constructor(
    readonly queueId: string,
    readonly deferred: number,
    readonly retryInMs: number,
  ) {
    super(`${queueId}: ${deferred} recipient(s) deferred; next attempt in ${Math.round(retryInMs / 1000)} s`);
  }
}

export interface RelayHandlerDependencies {
  readonly done: DoneStore;
  readonly recorder: OutcomeRecorder;
  readonly policy: RetryPolicy;
  readonly log: Pick<Logger, 'info'>;
  /** One delivery attempt for these recipients of the message; one outcome per recipient. */
  deliver(message: OutboundQueued, recipients: readonly string[]): Promise<RecipientOutcome[]>;
  readonly now?: () => Date;
}

export function createRelayHandler(deps: RelayHandlerDependencies) {
  const now = deps.now ?? (() => new Date());
  return async (message: OutboundQueued, delivery: Pick<Delivery, 'deliveryCount'>): Promise<void> => {
    const done = await deps.done.load(message.queueId);
    const unannounced = [...done.values()].filter((s) => !s.announced);
    if (unannounced.length > 0) await deps.recorder.announce(message, unannounced);

    const todo = uniqueMailboxes(message.envelope.recipients.map((r) => r.address)).filter((address) => !done.has(address));
    if (todo.length === 0) return;
    const outcomes = await deps.deliver(message, todo);
    const byRecipient = new Map(outcomes.map((o) => [o.recipient, o]));
    const final = isFinalAttempt(deps.policy, message.queuedAt, delivery.deliveryCount, now());
    const settled: SettledRecipient[] = [];
    const deferred: RecipientOutcome[] = [];
    for (const recipient of todo) {
      const outcome = byRecipient.get(recipient) ?? { recipient, status: 'temporary', detail: 'no outcome for this recipient' };
      if (outcome.status === 'temporary' && !final) deferred.push(outcome);
      else settled.push(settledOf(outcome, now()));
    }
    await deps.recorder.settle(message, settled);
    logOutcomes(deps.log, message.queueId, delivery.deliveryCount, settled, deferred);
    if (deferred.length === 0) return;
    await deps.recorder.defer(message, deferred, delivery.deliveryCount);
    throw new DeliveryDeferredError(message.queueId, deferred.length, retryDelayMs(deps.policy.scheduleMs, delivery.deliveryCount));
  };
}

/** A final outcome; a temporary failure on the last attempt is a bounce with "delivery time expired". */
function settledOf(outcome: RecipientOutcome, at: Date): SettledRecipient {
  // RFC 3463 §3.5: X.4.7 delivery time expired
  const detail = outcome.status === 'temporary' ? `delivery time expired (4.4.7); last attempt: ${outcome.detail}` : outcome.detail;
  return {
    recipient: outcome.recipient,
    outcome: outcome.status === 'delivered' ? 'delivered' : 'bounced',
    detail,
    at: at.toISOString(),
    announced: false,
    ...(outcome.remote ? { remote: outcome.remote } : {}),
    ...(outcome.reply ? { reply: outcome.reply } : {}),
  };
}

/** One line per recipient, as a mail log has it: delivered, deferred or bounced, and why. */
function logOutcomes(
  log: Pick<Logger, 'info'>,
  queueId: string,
  deliveryCount: number,
  settled: readonly SettledRecipient[],
  deferred: readonly RecipientOutcome[],
): void {
  for (const s of settled) log.info({ queueId, deliveryCount, recipient: s.recipient, outcome: s.outcome, detail: s.detail }, `recipient ${s.outcome}`);
  for (const d of deferred) log.info({ queueId, deliveryCount, recipient: d.recipient, outcome: 'deferred', detail: d.detail }, 'recipient deferred');
}
