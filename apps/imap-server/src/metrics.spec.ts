import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImapMetrics, type ImapMetrics } from './metrics';

describe('createImapMetrics', () => {
  let provider: MeterProvider;
  let reader: PeriodicExportingMetricReader;
  let imap: ImapMetrics;

  /** The metrics as a scrape would see them, by name. */
  const collect = async (): Promise<Map<string, MetricData>> => {
    const { resourceMetrics } = await reader.collect();
    return new Map(resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
  };
  const points = (metric: MetricData | undefined) => (metric?.dataPoints ?? []).map((point) => ({ attributes: point.attributes, value: point.value }));

  beforeEach(() => {
    reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000 });
    provider = new MeterProvider({ readers: [reader] });
    imap = createImapMetrics(provider.getMeter('imap-server'), { maxConnections: 10_000 });
  });
  afterEach(async () => {
    await provider.shutdown();
  });

  it('exports the session limit and the server failures at 0 before any command', async () => {
    const metrics = await collect();
    expect(points(metrics.get('mail_imap_sessions_limit'))).toEqual([{ attributes: {}, value: 10_000 }]);
    expect(points(metrics.get('mail_imap_server_failures_total'))).toEqual([
      { attributes: { code: 'UNAVAILABLE' }, value: 0 },
      { attributes: { code: 'SERVERBUG' }, value: 0 },
    ]);
  });

  it('times each command by kind and counts only UNAVAILABLE and SERVERBUG refusals as server failures', async () => {
    imap.command('FETCH', 'OK', { seconds: 0.004 });
    imap.command('SELECT', 'NO', { code: 'NONEXISTENT', seconds: 0.002 });
    imap.command('FETCH', 'NO', { code: 'UNAVAILABLE', seconds: 10 });
    imap.command('LOGIN', 'NO', { code: 'SERVERBUG' });
    imap.command('NOOP', 'BAD', { code: 'UNAVAILABLE' });
    const metrics = await collect();
    expect(points(metrics.get('mail_imap_server_failures_total'))).toEqual([
      { attributes: { code: 'UNAVAILABLE' }, value: 1 },
      { attributes: { code: 'SERVERBUG' }, value: 1 },
    ]);
    const durations = metrics.get('mail_imap_command_duration_seconds')?.dataPoints ?? [];
    expect(durations.map((point) => [point.attributes['command'], (point.value as { count: number }).count])).toEqual([
      ['FETCH', 2],
      ['SELECT', 1],
    ]);
    expect(points(metrics.get('mail_imap_commands_total'))).toContainEqual({ attributes: { command: 'FETCH', status: 'NO' }, value: 1 });
  });

  it('leaves the limit out when none is given', async () => {
    await provider.shutdown();
    reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000 });
    provider = new MeterProvider({ readers: [reader] });
    createImapMetrics(provider.getMeter('imap-server'));
    expect((await collect()).has('mail_imap_sessions_limit')).toBe(false);
  });
});
