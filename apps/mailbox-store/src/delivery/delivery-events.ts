/**
 * Per-recipient outcomes mailbox-store reports on `mail.v1.delivery.events`:
 * `stored`, or `rejected` — the mailbox owner does not exist, or the message
 * would exceed its quota. A rejection's detail starts with the RFC 3463
 * enhanced status code (5.1.1 no such mailbox, 5.2.2 mailbox full), for the
 * bounce to quote; when the owner was reached through an alias the RCPT
 * address is named too. Each event has a deterministic message id, so a
 * redelivered message publishes nothing twice within JetStream's duplicate
 * window.
 */
import type { DeliveryEvent } from '@mail/contracts';
import type { StoreOutcome } from './store-message';

export interface OutgoingDeliveryEvent {
  readonly payload: DeliveryEvent;
  /** JetStream msgID: `<queueId>.<outcome>.<recipient>`. */
  readonly msgId: string;
}

type Outcome = Pick<StoreOutcome, 'delivered' | 'missing'> & Partial<Pick<StoreOutcome, 'overQuota'>>;

export function deliveryEvents(queueId: string, outcome: Outcome, addressedAs: ReadonlyMap<string, readonly string[]> = new Map(), at = new Date()): OutgoingDeliveryEvent[] {
  const event = (recipient: string, result: 'stored' | 'rejected', detail?: string): OutgoingDeliveryEvent => {
    const via = addressedAs.get(recipient);
    const full = detail !== undefined && via !== undefined ? `${detail} (addressed to ${via.join(', ')})` : detail;
    return {
      payload: { version: 1, queueId, at: at.toISOString(), service: 'mailbox-store', recipient, outcome: result, ...(full ? { detail: full.slice(0, 1000) } : {}) },
      msgId: `${queueId}.${result}.${recipient}`,
    };
  };
  return [
    ...outcome.delivered.map((recipient) => event(recipient, 'stored')),
    // RFC 3463 §3.2: X.1.1 bad destination mailbox address.
    ...outcome.missing.map((recipient) => event(recipient, 'rejected', '5.1.1 mailbox does not exist (removed after the message was accepted)')),
    // RFC 3463 §3.3: X.2.2 mailbox full.
    ...(outcome.overQuota ?? []).map((usage) => event(usage.address, 'rejected', `5.2.2 mailbox full: quota ${usage.quotaBytes} octets, ${usage.usedBytes} in use`)),
  ];
}
