/**
 * One CLIENT span per delivery attempt at a remote server, under the
 * consume span of the queued message (so under the trace that began at
 * the SMTP connection). Attributes: the MX host and port, the class of the
 * decisive reply code, the attempt's result and how many recipients it
 * carried — never the addresses.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { decisiveCode } from '../attempt-observer';
import { attemptResult } from '../metrics';
import type { AttemptHost } from './host-attempt';

const tracer = trace.getTracer('outbound-relay');

/** `attemptHost`, each call in its span `smtp delivery attempt`. */
export function tracedAttempts(attemptHost: AttemptHost): AttemptHost {
  return async (target, recipients) => {
    const span = tracer.startSpan('smtp delivery attempt', {
      kind: SpanKind.CLIENT,
      attributes: { 'server.address': target.host, 'server.port': target.port, 'mail.outbound.recipients': recipients.length },
    });
    try {
      const attempt = await context.with(trace.setSpan(context.active(), span), () => attemptHost(target, recipients));
      const result = attemptResult(attempt);
      const code = decisiveCode(attempt);
      span.setAttribute('mail.outbound.result', result);
      if (code !== undefined) span.setAttribute('mail.smtp.reply_class', `${Math.floor(code / 100)}xx`);
      if (attempt.tls !== undefined) span.setAttribute('mail.smtp.tls', attempt.tls);
      if (attempt.failure) span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.failure.message });
      return attempt;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  };
}
