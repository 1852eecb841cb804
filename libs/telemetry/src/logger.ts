/**
 * Structured JSON logs (pino) with the active trace and span id on every
 * line (`trace_id`, `span_id`), and secrets censored wherever they appear as
 * fields. Code must still never put AUTH data or message content in a log.
 */
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Fields that must never reach a log line, wherever they appear. */
const redactedPaths = ['password', '*.password', 'credentials', '*.credentials', 'authorization', '*.authorization', 'secret', '*.secret'];

/** `destination`: where the lines go (default stdout; tests pass a stream). */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
