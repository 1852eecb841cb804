/**
 * Event-loop delay of the process, measured with
 * `perf_hooks.monitorEventLoopDelay` and exported as gauges on /metrics:
 *
 * - `mail_event_loop_delay_max_seconds`: the longest delay since the
 *   previous collection (each scrape resets the histogram), so a stall
 *   between two scrapes is never averaged away;
 * - `mail_event_loop_delay_p99_seconds`: the 99th percentile over the same
 *   interval.
 *
 * Node's histogram measures each delay when the next sample is taken, and a
 * reset forgets the sample in progress: a stall that starts within one
 * resolution interval (10 ms) of a scrape is not seen. Stalls caused by
 * traffic start later than that after a scrape in practice.
 *
 * A stall is any synchronous work (a parser, a regular expression, a large
 * JSON document) that keeps every other connection of the service waiting.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';

/** Sampling resolution of the monitor in milliseconds (Node's default). */
const resolutionMs = 10;

const nanosecondsPerSecond = 1e9;

/** Started event-loop monitoring; `stop` disables the histogram. */
export interface EventLoopMonitor {
  stop(): void;
}

/** Registers the event-loop gauges on `meter` and starts sampling. */
export function monitorEventLoop(meter: Meter): EventLoopMonitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const max = meter.createObservableGauge('mail_event_loop_delay_max_seconds', {
    description: 'Longest event-loop delay since the previous scrape (perf_hooks.monitorEventLoopDelay)',
  });
  const p99 = meter.createObservableGauge('mail_event_loop_delay_p99_seconds', {
    description: '99th percentile of the event-loop delay since the previous scrape',
  });
  const callback = (observer: { observe(gauge: typeof max, value: number): void }): void => {
    // An empty histogram (no sample yet) reports 0 rather than its sentinel values.
    const empty = histogram.count === 0;
    observer.observe(max, empty ? 0 : histogram.max / nanosecondsPerSecond);
    observer.observe(p99, empty ? 0 : histogram.percentile(99) / nanosecondsPerSecond);
    histogram.reset();
  };
  meter.addBatchObservableCallback(callback, [max, p99]);
  return {
    stop() {
      meter.removeBatchObservableCallback(callback, [max, p99]);
      histogram.disable();
    },
  };
}
