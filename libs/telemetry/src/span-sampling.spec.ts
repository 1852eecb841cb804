// Tests of span-sampling.ts: with no processor spans are unrecorded yet keep and pass on their trace ids.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { samplerFor } from './span-sampling';

/** The traceparent header a span's context would put in NATS headers. */
function traceparentOf(span: ReturnType<ReturnType<NodeTracerProvider['getTracer']>['startSpan']>): string | undefined {
  const carrier: Record<string, string> = {};
  new W3CTraceContextPropagator().inject(trace.setSpan(ROOT_CONTEXT, span), carrier, { set: (c, key, value) => (c[key] = value) });
  return carrier['traceparent'];
}

describe('samplerFor', () => {
  it('without a span processor: spans are not recorded, but have ids that children and the traceparent header carry on', () => {
    const tracer = new NodeTracerProvider({ sampler: samplerFor([]) }).getTracer('spec');
    const session = tracer.startSpan('smtp session', { root: true });
    const data = tracer.startSpan('smtp DATA', {}, trace.setSpan(ROOT_CONTEXT, session));
    expect(session.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(session.spanContext())).toBe(true);
    expect(data.spanContext().traceId).toBe(session.spanContext().traceId);
    expect(data.spanContext().spanId).not.toBe(session.spanContext().spanId);
    // W3C Trace Context §3.2: version 00, the trace id, the parent id, flags 00 (not sampled)
    expect(traceparentOf(data)).toBe(`00-${session.spanContext().traceId}-${data.spanContext().spanId}-00`);
  });

  it('with a span processor: the SDK samples and records as before', () => {
    const exporter = new InMemorySpanExporter();
    const processors = [new SimpleSpanProcessor(exporter)];
    const sampler = samplerFor(processors);
    expect(sampler).toBeUndefined();
    const tracer = new NodeTracerProvider({ spanProcessors: processors }).getTracer('spec');
    const span = tracer.startSpan('smtp session');
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['smtp session']);
    expect(traceparentOf(span)).toMatch(/-01$/);
  });
});
