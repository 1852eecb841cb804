import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer } from '@mail/testing';
import { Dns2Resolver } from './dns2-resolver';
import { inQuerySpan, responseStatus } from './query-span';
import { parseDnsServers } from './server-list';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  provider.register();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

describe('DNS query spans', () => {
  it('names each answer kind', () => {
    expect(responseStatus({ status: 'ok', records: [] })).toBe('NOERROR');
    expect(responseStatus({ status: 'nxdomain' })).toBe('NXDOMAIN');
    expect(responseStatus({ status: 'nodata' })).toBe('NODATA');
    expect(responseStatus({ status: 'servfail' })).toBe('SERVFAIL');
    expect(responseStatus({ status: 'timeout' })).toBe('timeout');
  });

  it('makes one client span per question of Dns2Resolver, under the active span', async () => {
    await using dns = await startDnsServer({ 'example.test': [{ type: 'MX', preference: 10, exchange: 'mx.example.test' }] });
    const resolver = new Dns2Resolver({ servers: parseDnsServers(dns.address), timeoutMs: 1000 });
    exporter.reset();
    const parent = provider.getTracer('test').startSpan('delivery');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await resolver.resolve('Example.TEST.', 'MX');
      await resolver.resolve('missing.example.test', 'A');
    });
    parent.end();
    const spans = exporter.getFinishedSpans().filter((s) => s.name.startsWith('dns '));
    expect(spans.map((s) => [s.name, s.attributes['dns.question.name'], s.attributes['dns.response.status']])).toEqual([
      ['dns MX', 'example.test', 'NOERROR'],
      ['dns A', 'missing.example.test', 'NXDOMAIN'],
    ]);
    for (const span of spans) expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('marks a timeout as an error of the lookup', async () => {
    exporter.reset();
    await inQuerySpan('slow.example.test', 'A', () => Promise.resolve({ status: 'timeout' as const }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(2);
  });
});
