/**
 * The trace of an SMTP connection: one SERVER span per session (the root
 * of the trace; attribute: the listener) and, under it, one span per
 * command that matters — MAIL, RCPT, DATA, BDAT — carrying the code of the
 * reply it got. The bus publish of an accepted message happens inside its
 * DATA (or BDAT LAST) span, so every span downstream — spam-filter,
 * mailbox-store, outbound-relay — belongs to the trace that began with the
 * connection. No addresses or AUTH data go into spans.
 */
import { SpanKind, trace, type Span } from '@opentelemetry/api';
import type { SmtpCommand } from '@mail/smtp';
import { recordSpanError, runInSpan } from '@mail/telemetry';
import type { ListenerKind } from './session-state';

const tracer = trace.getTracer('smtp-ingress');

/** Commands that get a span of their own; the others belong to the session span. */
const tracedCommands: ReadonlySet<SmtpCommand['kind']> = new Set(['MAIL', 'RCPT', 'DATA', 'BDAT']);

/** Command spans still open, so a reply is recorded on its command and not on the session. */
const commandSpans = new WeakSet<Span>();

/** Runs the whole session `run` inside a new root span. */
export async function inSessionSpan<T>(listener: ListenerKind, sessionId: string, run: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan('smtp session', {
    kind: SpanKind.SERVER,
    root: true,
    attributes: { 'mail.smtp.listener': listener, 'mail.smtp.session_id': sessionId, 'network.transport': 'tcp' },
  });
  return runInSpan(span, run);
}

/** Runs one command; MAIL, RCPT, DATA and BDAT inside a child span `smtp <COMMAND>`. */
export async function inCommandSpan<T>(kind: SmtpCommand['kind'], run: () => Promise<T>): Promise<T> {
  if (!tracedCommands.has(kind)) return run();
  const span = tracer.startSpan(`smtp ${kind}`, { kind: SpanKind.INTERNAL, attributes: { 'mail.smtp.command': kind } });
  commandSpans.add(span);
  try {
    return await runInSpan(span, run);
  } finally {
    commandSpans.delete(span);
  }
}

/** Records a reply on the command span it answers (the last reply wins: DATA's 354 then 250). */
export function recordReply(code: number): void {
  const span = trace.getActiveSpan();
  if (span === undefined || !commandSpans.has(span)) return;
  span.setAttribute('mail.smtp.reply_code', code);
  span.setAttribute('mail.smtp.reply_class', `${Math.floor(code / 100)}xx`);
}

/** Marks the command span failed when a command ends in a local error (451), not a refusal of the client's. */
export function recordCommandFailure(error: unknown): void {
  const span = trace.getActiveSpan();
  if (span === undefined || !commandSpans.has(span)) return;
  recordSpanError(span, error instanceof Error ? error : new Error(String(error)));
}
