/**
 * One CLIENT span per delivery attempt at a remote server, under the
 * consume span of the queued message (so under the trace that began at
 * the SMTP connection). Attributes: the MX host and port, the class of the
 * decisive reply code, the attempt's result and how many recipients it
 * carried — never the addresses.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { runInSpan } from '@mail/telemetry';
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
    return runInSpan(
      span,
      () => attemptHost(target, recipients),
      (attempt) => {
        const code = decisiveCode(attempt);
        span.setAttribute('mail.outbound.result', attemptResult(attempt));
        if (code !== undefined) span.setAttribute('mail.smtp.reply_class', `${Math.floor(code / 100)}xx`);
        if (attempt.tls !== undefined) span.setAttribute('mail.smtp.tls', attempt.tls);
        if (attempt.failure) span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.failure.message });
      },
    );
  };
}
