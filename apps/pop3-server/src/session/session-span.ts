/**
 * The trace of a POP3 connection: one SERVER span per session (the root of
 * its trace; attribute: the listener, pop3 or pop3s) and one child span per
 * RETR, under which the mailbox-store requests that stream the message run
 * (their context travels in the NATS headers). No user names or passwords
 * go into spans.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Pop3Command } from '@mail/pop3';

const tracer = trace.getTracer('pop3-server');

/** Commands that get a span of their own. */
const tracedCommands: ReadonlySet<Pop3Command['kind']> = new Set(['RETR']);

/** Runs the whole session inside a new root span. */
export async function inSessionSpan<T>(listener: 'pop3' | 'pop3s', sessionId: string, run: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan('pop3 session', {
    kind: SpanKind.SERVER,
    root: true,
    attributes: { 'mail.pop3.listener': listener, 'mail.pop3.session_id': sessionId, 'network.transport': 'tcp' },
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), run);
  } finally {
    span.end();
  }
}

/** Runs one command; RETR inside a child span `pop3 RETR`. */
export async function inCommandSpan<T>(kind: Pop3Command['kind'], run: () => Promise<T>): Promise<T> {
  if (!tracedCommands.has(kind)) return run();
  const span = tracer.startSpan(`pop3 ${kind}`, { kind: SpanKind.INTERNAL, attributes: { 'mail.pop3.command': kind } });
  try {
    return await context.with(trace.setSpan(context.active(), span), run);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
