/**
 * Running work inside a span: the span is the active one while `run` runs
 * (so child spans and NATS trace headers hang under it), an exception marks
 * it as an error and goes on, and the span ends either way.
 */
import { SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';

/** Marks `span` as failed by `error`. */
export function recordSpanError(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
}

/** Runs `run` with `span` active; records a thrown error on it; ends it. `onResult` may annotate the span from the result. */
export async function runInSpan<T>(span: Span, run: () => Promise<T>, onResult?: (result: T) => void): Promise<T> {
  try {
    const result = await context.with(trace.setSpan(context.active(), span), run);
    onResult?.(result);
    return result;
  } catch (error) {
    recordSpanError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
