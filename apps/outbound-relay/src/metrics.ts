/**
 * The relay's metrics (Prometheus names via OpenTelemetry):
 * - mail_outbound_attempts_total{result}: attempts at one server address —
 *   delivered, partial, deferred, bounced, or failed (no usable session);
 * - mail_outbound_deliveries_total{result}: recipient outcomes — delivered,
 *   deferred, bounced.
 */
import type { Meter } from '@opentelemetry/api';
import type { HostAttempt } from './delivery/host-attempt';

export type AttemptResult = 'delivered' | 'partial' | 'deferred' | 'bounced' | 'failed';
export type DeliveryResult = 'delivered' | 'deferred' | 'bounced';

export interface RelayMetrics {
  attempt(result: AttemptResult): void;
  delivery(result: DeliveryResult, count?: number): void;
}

export function createRelayMetrics(meter: Meter): RelayMetrics {
  const attempts = meter.createCounter('mail_outbound_attempts_total', { description: 'Delivery attempts at one remote server, by result' });
  const deliveries = meter.createCounter('mail_outbound_deliveries_total', { description: 'Recipient outcomes of outbound delivery, by result' });
  return {
    attempt: (result) => attempts.add(1, { result }),
    delivery: (result, count = 1) => {
      if (count > 0) deliveries.add(count, { result });
    },
  };
}

/** Sums up one attempt for the attempts counter. */
export function attemptResult(attempt: HostAttempt): AttemptResult {
  const answered = attempt.results.filter((r) => r.status !== 'untried');
  if (answered.length === 0) return attempt.failure ? 'failed' : 'deferred';
  const delivered = answered.filter((r) => r.status === 'delivered').length;
  if (delivered === attempt.results.length) return 'delivered';
  if (delivered > 0) return 'partial';
  return attempt.results.some((r) => r.status !== 'permanent') ? 'deferred' : 'bounced';
}
