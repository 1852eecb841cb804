/**
 * One OpenTelemetry span per DNS question (dns2 does its own UDP/TCP, so no
 * automatic instrumentation sees it): a CLIENT span named `dns <TYPE>` under
 * whatever span is active (a DNSBL check, an MX lookup of a delivery), with
 * the question (OpenTelemetry semantic conventions: dns.question.name) and
 * how it ended (NOERROR, NXDOMAIN, NODATA, SERVFAIL, or timeout).
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { runInSpan } from '@mail/telemetry';
import type { DnsAnswer, DnsRecordType } from './resolver';

const tracer = trace.getTracer('@mail/dns');

/** The `dns.response.status` attribute: the RCODE name, NODATA for an empty NOERROR, or timeout. */
export function responseStatus(answer: DnsAnswer): string {
  switch (answer.status) {
    case 'ok':
      return 'NOERROR';
    case 'nodata':
      return 'NODATA';
    case 'nxdomain':
      return 'NXDOMAIN';
    case 'servfail':
      return 'SERVFAIL';
    case 'timeout':
      return 'timeout';
  }
}

/** Runs `ask` (the whole question, CNAME chase included) inside its span. */
export async function inQuerySpan<A extends DnsAnswer>(name: string, type: DnsRecordType, ask: () => Promise<A>): Promise<A> {
  const span = tracer.startSpan(`dns ${type}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'dns.question.name': name, 'dns.question.type': type },
  });
  return runInSpan(span, ask, (answer) => {
    const status = responseStatus(answer);
    span.setAttribute('dns.response.status', status);
    if (answer.status === 'ok') span.setAttribute('dns.answer.count', answer.records.length);
    // NXDOMAIN and NODATA are answers; a server failure or silence is an error of the lookup
    if (status === 'SERVFAIL' || status === 'timeout') span.setStatus({ code: SpanStatusCode.ERROR, message: status });
  });
}
