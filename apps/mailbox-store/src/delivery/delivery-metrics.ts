/** Counters of the delivery path, exported on /metrics. */
import type { Meter } from '@opentelemetry/api';

export interface DeliveryMetrics {
  /** A classified message handled: `result` is stored, duplicate or no-mailbox. */
  message(result: 'stored' | 'duplicate' | 'no-mailbox'): void;
  /** Metadata parsing that failed or ran out of time. */
  metadataFallback(outcome: 'failed' | 'timed-out'): void;
  /** Recipients refused at delivery: the mailbox is gone or over its quota. */
  rejected(reason: 'no-mailbox' | 'over-quota', count: number): void;
  /** A group commit that failed and whose messages were stored one at a time. */
  groupFallback(): void;
}

export function createDeliveryMetrics(meter: Meter): DeliveryMetrics {
  const messages = meter.createCounter('mailbox_store_messages', { description: 'Classified messages handled, by result' });
  const fallbacks = meter.createCounter('mailbox_store_metadata_fallbacks', { description: 'Messages stored with minimal metadata, by reason' });
  const rejections = meter.createCounter('mailbox_store_rejected_recipients', { description: 'Recipients refused at delivery, by reason' });
  const groupFallbacks = meter.createCounter('mailbox_store_group_commit_fallbacks', { description: 'Group commits rolled back, their messages then stored one at a time' });
  return {
    message: (result) => messages.add(1, { result }),
    metadataFallback: (outcome) => fallbacks.add(1, { outcome }),
    rejected: (reason, count) => {
      if (count > 0) rejections.add(count, { reason });
    },
    groupFallback: () => groupFallbacks.add(1),
  };
}
