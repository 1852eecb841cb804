/**
 * Typed request/reply over core NATS. Replies travel in an envelope
 * `{ ok: true, data }` or `{ ok: false, code, message }`; both sides
 * validate against the definition's schemas. An invalid request is answered
 * with `bad-request` and copied to the dead-letter subject. Each request is
 * a CLIENT span on the requester's side and a SERVER span, its child
 * through the NATS headers, around the handler.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { BusNamespace, RequestDefinition, RequestPayload, ResponsePayload } from '@mail/contracts';
import { z } from 'zod';
import { decodeWith, encodeJson } from './codec';
import { RemoteError, RequestFailedError } from './errors';
import { contextFromHeaders, headersWithTraceContext } from './trace-headers';

const tracer = trace.getTracer('@mail/bus');

const ReplyEnvelope = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data: z.unknown() }), z.object({ ok: z.literal(false), code: z.string(), message: z.string() })]);

export type RequestHandler<D extends RequestDefinition> = (request: RequestPayload<D>) => Promise<ResponsePayload<D>>;

export function serveRequests<D extends RequestDefinition>(
  nc: NatsConnection,
  ns: BusNamespace,
  definition: D,
  handler: RequestHandler<D>,
  log: { error(obj: object, msg: string): void },
): Subscription {
  const subject = ns.requestSubject(definition);
  return nc.subscribe(subject, {
    queue: definition.queueGroup,
    callback: (error, msg) => {
      if (error) return log.error({ err: error, subject }, 'subscription error');
      const decoded = decodeWith(definition.request, msg.data);
      if (!decoded.ok) {
        log.error({ subject, reason: decoded.reason }, 'invalid request moved to dead letter');
        nc.publish(ns.deadLetterSubject(definition), msg.data);
        msg.respond(encodeJson({ ok: false, code: 'bad-request', message: decoded.reason }));
        return;
      }
      // The handler runs in a SERVER span, child of the requester's span (context from the headers)
      const parent = contextFromHeaders(msg.headers);
      const span = tracer.startSpan(`serve ${subject}`, { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } }, parent);
      context
        .with(trace.setSpan(parent, span), () => handler(decoded.value as RequestPayload<D>))
        .then(
          (response) => msg.respond(encodeJson({ ok: true, data: response })),
          (failure: unknown) => {
            if (failure instanceof RemoteError) {
              span.setAttribute('mail.request.error_code', failure.code);
              msg.respond(encodeJson({ ok: false, code: failure.code, message: failure.message }));
            } else {
              span.setStatus({ code: SpanStatusCode.ERROR, message: failure instanceof Error ? failure.message : String(failure) });
              log.error({ err: failure, subject }, 'request handler failed');
              msg.respond(encodeJson({ ok: false, code: 'internal', message: 'internal error; see the service log' }));
            }
          },
        )
        .finally(() => span.end());
    },
  });
}

export async function sendRequest<D extends RequestDefinition>(nc: NatsConnection, ns: BusNamespace, definition: D, payload: RequestPayload<D>, timeoutMs: number): Promise<ResponsePayload<D>> {
  const subject = ns.requestSubject(definition);
  const checked = definition.request.safeParse(payload);
  if (!checked.success) throw new RequestFailedError(subject, `refusing to send an invalid request: ${checked.error.message}`);
  let reply;
  const span = tracer.startSpan(`request ${subject}`, { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } });
  try {
    reply = await nc.request(subject, encodeJson(checked.data), { timeout: timeoutMs, headers: headersWithTraceContext(trace.setSpan(context.active(), span)) });
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw new RequestFailedError(subject, (error as Error).message, { cause: error });
  } finally {
    span.end();
  }
  const envelope = decodeWith(ReplyEnvelope, reply.data);
  if (!envelope.ok) throw new RequestFailedError(subject, envelope.reason);
  if (!envelope.value.ok) throw new RemoteError(envelope.value.code, envelope.value.message);
  const response = definition.response.safeParse(envelope.value.data);
  if (!response.success) throw new RequestFailedError(subject, `invalid reply: ${response.error.message}`);
  return response.data as ResponsePayload<D>;
}
