import { SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { runInSpan } from './active-span';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register(); // the async-hooks context manager, as in the services
const tracer = provider.getTracer('spec');

describe('runInSpan', () => {
  it('returns the result, lets onResult annotate the span, and ends it', async () => {
    exporter.reset();
    const started = tracer.startSpan('ok');
    let active: unknown;
    const result = await runInSpan(
      started,
      async () => {
        active = trace.getActiveSpan();
        return 42;
      },
      (value) => started.setAttribute('answer', value),
    );
    expect(result).toBe(42);
    expect(active).toBe(started);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('ok');
    expect(span?.attributes['answer']).toBe(42);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a thrown error on the span, ends it and rethrows', async () => {
    exporter.reset();
    await expect(runInSpan(tracer.startSpan('fails'), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
  });
});
