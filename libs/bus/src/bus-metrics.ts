/**
 * Metrics of the bus, recorded through the global OpenTelemetry meter (the
 * service's telemetry registers it; without one they are no-ops):
 *
 * - `mail_bus_publish_duration_seconds{event,result}` publish until JetStream's ack
 * - `mail_bus_consume_duration_seconds{consumer,outcome}` handler run, by outcome
 *   (for a message of a batch: its batch's run, until the message is settled)
 * - `mail_bus_consume_batch_size{consumer}` messages per batch of a batch consumer
 * - `mail_bus_consume_batch_fallbacks_total{consumer}` batches that failed as a
 *   whole and were handled again one message at a time
 * - `mail_bus_redeliveries_total{consumer}` deliveries after the first
 * - `mail_bus_dead_letters_total{consumer}` messages moved to the dead-letter
 *   stream (invalid payload, permanent failure, too many deliveries)
 * - `mail_bus_delivery_age_seconds{consumer}` how long a message had been in
 *   its stream when delivered (again): for the outbound queue, whose retries
 *   are redeliveries, how close its messages come to OUTBOUND_MAX_AGE
 * - `mail_bus_consumer_pending{consumer,state}` messages not yet delivered
 *   (`waiting`, JetStream's num_pending) or delivered and not yet acked
 *   (`unacked`, num_ack_pending, which includes naked-with-delay retries):
 *   the queue depth of each durable consumer of this process.
 *
 * Labels are event and consumer names only: never subjects with ids or addresses.
 */
import { metrics, type Histogram, type Counter } from '@opentelemetry/api';

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class BusMetrics {
  private readonly meter = metrics.getMeter('@mail/bus');
  readonly publishDuration: Histogram = this.meter.createHistogram('mail_bus_publish_duration_seconds', {
    description: 'Time from publish to the JetStream acknowledgement',
    unit: 's',
    advice: { explicitBucketBoundaries: latencyBuckets },
  });
  readonly consumeDuration: Histogram = this.meter.createHistogram('mail_bus_consume_duration_seconds', {
    description: 'Time a consumer handler took per message, by outcome',
    unit: 's',
    advice: { explicitBucketBoundaries: latencyBuckets },
  });
  readonly batchSize: Histogram = this.meter.createHistogram('mail_bus_consume_batch_size', {
    description: 'Messages per batch handed to a batch consumer',
    advice: { explicitBucketBoundaries: [1, 2, 4, 8, 16, 32, 64, 128, 256] },
  });
  readonly batchFallbacks: Counter = this.meter.createCounter('mail_bus_consume_batch_fallbacks_total', {
    description: 'Batches whose handler failed as a whole, then handled one message at a time',
  });
  readonly redeliveries: Counter = this.meter.createCounter('mail_bus_redeliveries_total', { description: 'Messages delivered again after a failure, a timeout or a restart' });
  readonly deliveryAge: Histogram = this.meter.createHistogram('mail_bus_delivery_age_seconds', {
    description: 'Time a message had been in its stream when delivered to a consumer (first delivery or retry)',
    unit: 's',
    // up to the outbound queue's retry horizon: 1 s ... 5 days, with whole days at the end for OUTBOUND_MAX_AGE
    advice: { explicitBucketBoundaries: [1, 10, 60, 600, 3_600, 14_400, 86_400, 172_800, 259_200, 345_600, 432_000] },
  });
  readonly deadLetters: Counter = this.meter.createCounter('mail_bus_dead_letters_total', { description: 'Messages moved to the dead-letter stream, by consumer' });

  /** Report the backlog of durable consumers, read from JetStream at each scrape. */
  observePending(read: () => Promise<readonly { consumer: string; waiting: number; unacked: number }[]>): void {
    const gauge = this.meter.createObservableGauge('mail_bus_consumer_pending', { description: 'Messages of a durable consumer waiting for delivery or for an ack' });
    gauge.addCallback(async (result) => {
      try {
        for (const c of await read()) {
          result.observe(c.waiting, { consumer: c.consumer, state: 'waiting' });
          result.observe(c.unacked, { consumer: c.consumer, state: 'unacked' });
        }
      } catch {
        // NATS unreachable: no sample this scrape rather than a wrong one
      }
    });
  }
}
