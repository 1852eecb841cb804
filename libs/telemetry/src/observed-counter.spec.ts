// Tests of observed-counter.ts: the series Prometheus reads are those a synchronous counter would give.
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { observedCounter } from './observed-counter';

async function scrape(exporter: PrometheusExporter): Promise<string> {
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

describe('observedCounter', () => {
  it('exports a monotonic counter per label value, as a synchronous counter with that label', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const meter = new MeterProvider({ readers: [exporter] }).getMeter('test');
    const replies = observedCounter<string>(meter, 'test_replies_total', { description: 'Replies by class', label: 'class' });
    const reference = meter.createCounter('test_reference_total', { description: 'Replies by class' });
    expect(await scrape(exporter)).not.toMatch(/^test_replies_total\{/m);
    for (const cls of ['2xx', '2xx', '5xx', '2xx']) {
      replies.add(1, cls);
      reference.add(1, { class: cls });
    }
    const text = await scrape(exporter);
    expect(text).toMatch(/^# TYPE test_replies_total counter$/m);
    expect(text).toMatch(/^test_replies_total\{class="2xx",otel_scope_name="test"\} 3$/m);
    expect(text).toMatch(/^test_replies_total\{class="5xx",otel_scope_name="test"\} 1$/m);
    expect(text.match(/^test_replies_total\{.*$/gm)?.map((line) => line.replace('test_replies_total', ''))).toEqual(
      text.match(/^test_reference_total\{.*$/gm)?.map((line) => line.replace('test_reference_total', '')),
    );
    replies.add(2, '5xx');
    expect(await scrape(exporter)).toMatch(/^test_replies_total\{class="5xx",otel_scope_name="test"\} 3$/m);
  });

  it('exports an up-down counter that goes down again', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const meter = new MeterProvider({ readers: [exporter] }).getMeter('test');
    const open = observedCounter<'inbound' | 'submission'>(meter, 'test_sessions_active', { description: 'Open sessions', label: 'listener', upDown: true });
    open.add(1, 'inbound');
    open.add(1, 'inbound');
    open.add(1, 'submission');
    open.add(-1, 'inbound');
    const text = await scrape(exporter);
    expect(text).toMatch(/^# TYPE test_sessions_active gauge$/m);
    expect(text).toMatch(/^test_sessions_active\{listener="inbound",otel_scope_name="test"\} 1$/m);
    expect(text).toMatch(/^test_sessions_active\{listener="submission",otel_scope_name="test"\} 1$/m);
  });
});
