/**
 * Counters of hot paths kept in process memory and handed to OpenTelemetry
 * only when the metrics are read (an observable instrument's callback).
 * A synchronous counter's add() costs the SDK's attribute processing,
 * hashing and storage lookup on every call — in smtp-ingress a dozen adds
 * per message came to about a tenth of a millisecond of CPU — where this
 * costs a map update. The exported series are the same: a monotonic
 * counter (or an up-down counter) per label value.
 */
import type { Meter } from '@opentelemetry/api';

/** A counter with one label, counted in memory until the metrics are read. */
export interface ObservedCounter<V extends string> {
  /** Adds `value` to the series whose label is `labelValue` (negative only for an up-down counter). */
  add(value: number, labelValue: V): void;
}

export interface ObservedCounterOptions {
  readonly description: string;
  /** The label's name, e.g. `listener`. */
  readonly label: string;
  /** An up-down counter (a gauge of things open now) rather than a monotonic one. */
  readonly upDown?: boolean;
}

/** Registers the counter `name` on `meter`; series appear with their first add. */
export function observedCounter<V extends string>(meter: Meter, name: string, options: ObservedCounterOptions): ObservedCounter<V> {
  const totals = new Map<V, number>();
  const instrument = options.upDown ? meter.createObservableUpDownCounter(name, { description: options.description }) : meter.createObservableCounter(name, { description: options.description });
  instrument.addCallback((result) => {
    for (const [labelValue, total] of totals) result.observe(total, { [options.label]: labelValue });
  });
  return {
    add(value, labelValue) {
      totals.set(labelValue, (totals.get(labelValue) ?? 0) + value);
    },
  };
}
