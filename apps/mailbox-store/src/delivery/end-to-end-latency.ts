/**
 * `mail_delivery_latency_seconds`: from smtp-ingress accepting a message
 * (its `receivedAt`, the moment of the 250) to mailbox-store committing it,
 * recorded once per newly stored message (a redelivered duplicate is not a
 * second delivery). Clock skew between hosts shows up here; negative
 * values are clamped to 0.
 */
import { metrics } from '@opentelemetry/api';

const buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];
let histogram: ReturnType<ReturnType<typeof metrics.getMeter>['createHistogram']> | undefined;

export function recordEndToEndLatency(receivedAt: string, now = Date.now()): void {
  histogram ??= metrics.getMeter('mailbox-store').createHistogram('mail_delivery_latency_seconds', {
    description: 'Time from SMTP acceptance to the message stored in PostgreSQL',
    unit: 's',
    advice: { explicitBucketBoundaries: buckets },
  });
  const seconds = (now - Date.parse(receivedAt)) / 1000;
  if (Number.isFinite(seconds)) histogram.record(Math.max(0, seconds));
}
