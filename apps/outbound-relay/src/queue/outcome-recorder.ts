/**
 * Makes recipient outcomes durable and visible, in an order that survives a
 * crash at any point: first the settled recipients are recorded (so they are
 * never sent again), then their delivery events go out and the sender is
 * notified (a failure notice for bounces; a `relayed` notice, when asked,
 * for recipients handed to a server that does not report success itself),
 * then they are marked announced. A crash in between leaves them recorded
 * but unannounced; the next delivery of the message announces them again,
 * with the same message ids and notice ids, which are de-duplicated
 * downstream.
 */
import { Events, type DeliveryEvent, type OutboundQueued } from '@mail/contracts';
import type { Bus } from '@mail/bus';
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import type { RelayMetrics } from '../metrics';
import type { DeliveryNotifier, NoticeRecipient } from './delivery-notifier';
import type { DoneStore, SettledRecipient } from './done-store';

const SERVICE = 'outbound-relay';
/** DeliveryEvent.detail limit (contracts). */
const MAX_DETAIL = 1000;

export interface OutcomeRecorderDependencies {
  readonly bus: Pick<Bus, 'publish'>;
  readonly done: DoneStore;
  readonly notifier: DeliveryNotifier;
  readonly metrics: RelayMetrics;
  /** Pauses between attempts at recording settled recipients (default: about 20 s in all). */
  readonly recordRetryDelaysMs?: readonly number[];
}

/**
 * A remote server's 250 cannot be taken back: if recording it fails the
 * message is redelivered and the recipient gets a second copy. So the record
 * is retried through a short outage of the store (Redis restarting) before
 * the round gives up.
 */
export const RECORD_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000, 5000];

export class OutcomeRecorder {
  constructor(private readonly deps: OutcomeRecorderDependencies) {}

  /** Records final outcomes, then announces them. */
  async settle(message: OutboundQueued, settled: readonly SettledRecipient[]): Promise<void> {
    if (settled.length === 0) return;
    await this.record(message.queueId, settled);
    this.count(settled);
    await this.announce(message, settled);
  }

  /** Pauses between attempts at recording settled recipients. */
  get recordRetryDelaysMs(): readonly number[] {
    return this.deps.recordRetryDelaysMs ?? RECORD_RETRY_DELAYS_MS;
  }

  /** Records settled recipients (not yet announced), retried through a short outage of the store. */
  async record(queueId: string, settled: readonly SettledRecipient[]): Promise<void> {
    for (const delayMs of [...this.recordRetryDelaysMs, undefined]) {
      try {
        return await this.deps.done.save(queueId, settled);
      } catch (error) {
        if (delayMs === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Counts final outcomes in the delivery metric (once, when they are recorded). */
  count(settled: readonly SettledRecipient[]): void {
    this.deps.metrics.delivery('delivered', settled.filter((s) => s.outcome === 'delivered').length);
    this.deps.metrics.delivery('bounced', settled.filter((s) => s.outcome === 'bounced').length);
  }

  /** Publishes the delivery events and notices of settled recipients and marks them announced. */
  async announce(message: OutboundQueued, settled: readonly SettledRecipient[]): Promise<void> {
    await this.publishSettled(message, settled);
    await this.deps.done.save(message.queueId, announced(settled));
  }

  /** The delivery events and notices of settled recipients, without marking them announced (a batch marks them in its last pipeline). */
  async publishSettled(message: OutboundQueued, settled: readonly SettledRecipient[]): Promise<void> {
    await Promise.all(settled.map((s) => this.publish(message, s.recipient, s.outcome, s.detail, `${message.queueId}:relay:${s.recipient}:${s.outcome}`)));
    const failed = settled.filter((s) => s.outcome === 'bounced');
    if (failed.length > 0) await this.deps.notifier.notify(message, 'failed', failed.map(noticeRecipientOf));
    // RFC 3461 §5.2.1: a server that offers DSN got NOTIFY and reports success itself
    const relayed = settled.filter((s) => s.outcome === 'delivered' && !s.dsnPassed);
    if (relayed.length > 0) await this.deps.notifier.notify(message, 'relayed', relayed.map(noticeRecipientOf));
  }

  /** Publishes `deferred` events for recipients to be retried (one per recipient and attempt). */
  async defer(message: OutboundQueued, deferred: readonly RecipientOutcome[], attempt: number): Promise<void> {
    this.deps.metrics.delivery('deferred', deferred.length);
    await Promise.all(deferred.map((o) => this.publish(message, o.recipient, 'deferred', o.detail, `${message.queueId}:relay:${o.recipient}:deferred:${attempt}`)));
  }

  private async publish(message: OutboundQueued, recipient: string, outcome: DeliveryEvent['outcome'], detail: string, msgId: string): Promise<void> {
    await this.deps.bus.publish(
      Events.deliveryEvent,
      { version: 1, queueId: message.queueId, at: new Date().toISOString(), service: SERVICE, recipient, outcome, detail: detail.slice(0, MAX_DETAIL) },
      msgId,
    );
  }
}

/** The settled recipients as recorded once their events and notices are out. */
export function announced(settled: readonly SettledRecipient[]): SettledRecipient[] {
  return settled.map((s) => ({ ...s, announced: true }));
}

function noticeRecipientOf(s: SettledRecipient): NoticeRecipient {
  return {
    recipient: s.recipient,
    detail: s.detail,
    at: s.at,
    ...(s.remote ? { remote: s.remote } : {}),
    ...(s.reply ? { reply: s.reply } : {}),
    ...(s.expired ? { expired: true } : {}),
  };
}
