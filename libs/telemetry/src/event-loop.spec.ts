import { describe, expect, it } from 'vitest';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { monitorEventLoop } from './event-loop';

async function scrape(exporter: PrometheusExporter): Promise<string> {
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

function gauge(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)`, 'm').exec(text);
  if (!match?.[1]) throw new Error(`${name} missing in:\n${text}`);
  return Number(match[1]);
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('monitorEventLoop', () => {
  it('reports a synchronous stall as the max since the previous scrape, then resets', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [exporter] });
    const monitor = monitorEventLoop(provider.getMeter('test'));
    try {
      await tick(50);
      await scrape(exporter);
      await tick(30); // the first sample after a reset only starts the clock
      const until = Date.now() + 250;
      while (Date.now() < until); // a 250 ms stall
      await tick(50);
      const stalled = await scrape(exporter);
      expect(gauge(stalled, 'mail_event_loop_delay_max_seconds')).toBeGreaterThanOrEqual(0.2);
      expect(gauge(stalled, 'mail_event_loop_delay_p99_seconds')).toBeGreaterThan(0);
      // The scrape reset the histogram, and its first sample after a reset only
      // starts the clock: a scrape straight after (no timer turn in between)
      // reports an empty histogram, however loaded the machine. Without the
      // reset it would report the 250 ms stall again.
      expect(gauge(await scrape(exporter), 'mail_event_loop_delay_max_seconds')).toBe(0);
    } finally {
      monitor.stop();
      await provider.shutdown();
    }
  });
});
