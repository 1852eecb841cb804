/**
 * Whether spans are recorded. A recorded span costs its attributes, its
 * timings and the hand-over to the span processors at its end; with no
 * processor (no OTLP endpoint, none given by a test) nobody reads any of it,
 * and in smtp-ingress the five spans of a message came to about a sixth of
 * its CPU. Then spans are started unrecorded: each still gets its ids, so
 * the trace id is still on every log line (`trace_id`, `span_id`) and
 * still travels in the NATS headers (`traceparent`, flagged not sampled),
 * one message keeping one trace id across the services. With a processor
 * the SDK's sampler applies as before (parent-based, always on, or
 * OTEL_TRACES_SAMPLER). Export traces from every service or from none: a
 * service that exports does not record the spans of a message whose
 * upstream service did not sample it.
 */
import { AlwaysOffSampler, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The sampler for a tracer provider with these processors; undefined leaves the SDK's. */
export function samplerFor(spanProcessors: readonly SpanProcessor[]): Sampler | undefined {
  return spanProcessors.length === 0 ? new AlwaysOffSampler() : undefined;
}
