/**
 * The trace of a POP3 connection: one SERVER span per session (the root of
 * its trace; attribute: the listener, pop3 or pop3s) and one child span per
 * RETR. A RETR that goes to mailbox-store runs with its span active, so the
 * requests that fetch the message hang under it (their context travels in
 * the NATS headers); a RETR served from the session's prefetch only starts
 * and ends its span, which is most of what a span costs. No user names or
 * passwords go into spans.
 */
import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import { runInSpan } from '@mail/telemetry';

const tracer = trace.getTracer('pop3-server');

/** The options of every RETR span, made once. */
const retrSpanOptions = { kind: SpanKind.INTERNAL, attributes: { 'mail.pop3.command': 'RETR' } };

/** Runs the whole session inside a new root span. */
export async function inSessionSpan<T>(listener: 'pop3' | 'pop3s', sessionId: string, run: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan('pop3 session', {
    kind: SpanKind.SERVER,
    root: true,
    attributes: { 'mail.pop3.listener': listener, 'mail.pop3.session_id': sessionId, 'network.transport': 'tcp' },
  });
  return runInSpan(span, run);
}

/** Starts the span `pop3 RETR`, a child of the session's; the caller ends it. */
export function startRetrSpan(): Span {
  return tracer.startSpan('pop3 RETR', retrSpanOptions);
}

/** Runs `run` with `span` active: the spans and NATS requests it starts are its children. */
export function withActiveSpan<T>(span: Span, run: () => Promise<T>): Promise<T> {
  return context.with(trace.setSpan(context.active(), span), run);
}
