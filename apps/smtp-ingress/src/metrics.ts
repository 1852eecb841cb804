/**
 * The metrics of smtp-ingress, on the service's meter (exported on
 * /metrics): connections per listener, replies per class, accepted and
 * rejected messages, and the size of accepted messages.
 */
import type { Telemetry } from '@mail/telemetry';
import type { ListenerKind } from './session/session-state';

/** What the sessions report. */
export interface IngressMetrics {
  connectionOpened(listener: ListenerKind): void;
  /** Every reply written, by class (2xx…5xx). */
  replySent(code: number): void;
  messageAccepted(listener: ListenerKind, size: number): void;
  /** A message refused at the end of its data, or lost to a storage failure. */
  messageRejected(reason: string): void;
}

// Message sizes: 1 KiB … 50 MiB
const SIZE_BUCKETS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 10_485_760, 26_214_400, 52_428_800];

/** Metrics on the given meter. */
export function createIngressMetrics(meter: Telemetry['meter']): IngressMetrics {
  const connections = meter.createCounter('mail_smtp_connections_total', { description: 'SMTP connections accepted, by listener' });
  const replies = meter.createCounter('mail_smtp_replies_total', { description: 'SMTP replies sent, by class' });
  const accepted = meter.createCounter('mail_smtp_messages_accepted_total', { description: 'Messages accepted (queued), by listener' });
  const rejected = meter.createCounter('mail_smtp_messages_rejected_total', { description: 'Messages refused at the end of data, by reason' });
  const sizes = meter.createHistogram('mail_smtp_message_size_bytes', {
    description: 'Size of accepted messages',
    unit: 'By',
    advice: { explicitBucketBoundaries: SIZE_BUCKETS },
  });
  return {
    connectionOpened: (listener) => connections.add(1, { listener }),
    replySent: (code) => replies.add(1, { class: `${Math.floor(code / 100)}xx` }),
    messageAccepted(listener, size) {
      accepted.add(1, { listener });
      sizes.record(size, { listener });
    },
    messageRejected: (reason) => rejected.add(1, { reason }),
  };
}
