/**
 * Makes recipient outcomes durable and visible, in an order that survives a
 * crash at any point: first the settled recipients are recorded (so they are
 * never sent again), then their delivery events go out and bounces are
 * handed to the BounceNotifier, then they are marked announced. A crash in
 * between leaves them recorded but unannounced; the next delivery of the
 * message announces them again, with the same message ids, which JetStream
 * de-duplicates.
 */
import { Events, type OutboundQueued } from '@mail/contracts';
import type { Bus } from '@mail/bus';
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import type { RelayMetrics } from '../metrics';
import type { BounceNotifier } from './bounce-notifier';
import type { DoneStore, SettledRecipient } from './done-store';

const SERVICE = 'outbound-relay';
/** DeliveryEvent.detail limit (contracts). */
const MAX_DETAIL = 1000;

export interface OutcomeRecorderDependencies {
  readonly bus: Pick<Bus, 'publish'>;
  readonly done: DoneStore;
  readonly bounces: BounceNotifier;
  readonly metrics: RelayMetrics;
}

export class OutcomeRecorder {
  constructor(private readonly deps: OutcomeRecorderDependencies) {}

  /** Records final outcomes, then announces them. */
  async settle(message: OutboundQueued, settled: readonly SettledRecipient[]): Promise<void> {
    if (settled.length === 0) return;
    await this.deps.done.save(message.queueId, settled);
    this.deps.metrics.delivery('delivered', settled.filter((s) => s.outcome === 'delivered').length);
    this.deps.metrics.delivery('bounced', settled.filter((s) => s.outcome === 'bounced').length);
    await this.announce(message, settled);
  }

  /** Publishes the delivery events and bounce notices of settled recipients and marks them announced. */
  async announce(message: OutboundQueued, settled: readonly SettledRecipient[]): Promise<void> {
    await Promise.all(
      settled.map((s) => this.publish(message, s.recipient, s.outcome, s.detail, `${message.queueId}:relay:${s.recipient}:${s.outcome}`)),
    );
    const bounced = settled.filter((s) => s.outcome === 'bounced');
    if (bounced.length > 0) await this.deps.bounces.notify(message, bounced);
    await this.deps.done.save(
      message.queueId,
      settled.map((s) => ({ ...s, announced: true })),
    );
  }

  /** Publishes `deferred` events for recipients to be retried (one per recipient and delivery). */
  async defer(message: OutboundQueued, deferred: readonly RecipientOutcome[], deliveryCount: number): Promise<void> {
    this.deps.metrics.delivery('deferred', deferred.length);
    await Promise.all(
      deferred.map((o) => this.publish(message, o.recipient, 'deferred', o.detail, `${message.queueId}:relay:${o.recipient}:deferred:${deliveryCount}`)),
    );
  }

  private async publish(message: OutboundQueued, recipient: string, outcome: 'delivered' | 'deferred' | 'bounced', detail: string, msgId: string): Promise<void> {
    await this.deps.bus.publish(
      Events.deliveryEvent,
      { version: 1, queueId: message.queueId, at: new Date().toISOString(), service: SERVICE, recipient, outcome, detail: detail.slice(0, MAX_DETAIL) },
      msgId,
    );
  }
}
