/**
 * The trace of a POP3 connection: one SERVER span per session (the root of
 * its trace; attribute: the listener, pop3 or pop3s) and one child span per
 * RETR, under which the mailbox-store requests that stream the message run
 * (their context travels in the NATS headers). No user names or passwords
 * go into spans.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import type { Pop3Command } from '@mail/pop3';
import { runInSpan } from '@mail/telemetry';

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
  return runInSpan(span, run);
}

/** Runs one command; RETR inside a child span `pop3 RETR`. */
export async function inCommandSpan<T>(kind: Pop3Command['kind'], run: () => Promise<T>): Promise<T> {
  if (!tracedCommands.has(kind)) return run();
  return runInSpan(tracer.startSpan(`pop3 ${kind}`, { kind: SpanKind.INTERNAL, attributes: { 'mail.pop3.command': kind } }), run);
}
