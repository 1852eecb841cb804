/**
 * Per-recipient outcomes mailbox-store reports on `mail.v1.delivery.events`:
 * `stored`, or `rejected` when the mailbox owner no longer exists. Each event
 * has a deterministic message id, so a redelivered message publishes nothing
 * twice within JetStream's duplicate window.
 */
import type { DeliveryEvent } from '@mail/contracts';
import type { StoreOutcome } from './store-message';

export interface OutgoingDeliveryEvent {
  readonly payload: DeliveryEvent;
  /** JetStream msgID: `<queueId>.<outcome>.<recipient>`. */
  readonly msgId: string;
}

export function deliveryEvents(queueId: string, outcome: Pick<StoreOutcome, 'delivered' | 'missing'>, at = new Date()): OutgoingDeliveryEvent[] {
  const event = (recipient: string, result: 'stored' | 'rejected', detail?: string): OutgoingDeliveryEvent => ({
    payload: { version: 1, queueId, at: at.toISOString(), service: 'mailbox-store', recipient, outcome: result, ...(detail ? { detail } : {}) },
    msgId: `${queueId}.${result}.${recipient}`,
  });
  return [
    ...outcome.delivered.map((recipient) => event(recipient, 'stored')),
    ...outcome.missing.map((recipient) => event(recipient, 'rejected', 'mailbox does not exist (removed after the message was accepted)')),
  ];
}
