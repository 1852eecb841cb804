/**
 * Typed request/reply over core NATS. Replies travel in an envelope
 * `{ ok: true, data }` or `{ ok: false, code, message }`; both sides
 * validate against the definition's schemas. An invalid request is answered
 * with `bad-request` and copied to the dead-letter subject. Each request is
 * a CLIENT span on the requester's side and a SERVER span, its child
 * through the NATS headers, around the handler. A reply may carry an
 * attachment (reply-attachment.ts) when its definition declares one.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { BusNamespace, RequestDefinition, RequestPayload, ResponsePayload } from '@mail/contracts';
import { z } from 'zod';
import { decodeWith, encodeJson } from './codec';
import { RemoteError, RequestFailedError } from './errors';
import { AttachedReply, encodeAttachedReply, splitAttachedReply } from './reply-attachment';
import { contextFromHeaders, headersWithTraceContext } from './trace-headers';

const tracer = trace.getTracer('@mail/bus');

const ReplyEnvelope = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data: z.unknown() }), z.object({ ok: z.literal(false), code: z.string(), message: z.string() })]);

/** Answers one request: the response, or (for a definition that declares `attachment`) the response with octets after it. */
export type RequestHandler<D extends RequestDefinition> = (request: RequestPayload<D>) => Promise<ResponsePayload<D> | AttachedReply<ResponsePayload<D>>>;

/** A reply and the attachment it carried, if any. */
export interface ReplyWithAttachment<D extends RequestDefinition> {
  readonly response: ResponsePayload<D>;
  readonly attachment: Uint8Array | undefined;
}

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
          (response) => {
            if (!(response instanceof AttachedReply)) return msg.respond(encodeJson({ ok: true, data: response }));
            const allowed = definition.attachment?.maxOctets;
            if (allowed === undefined || response.octets.length > allowed) {
              const problem = allowed === undefined ? 'the definition declares no attachment' : `attachment of ${response.octets.length} octets, more than ${allowed}`;
              span.setStatus({ code: SpanStatusCode.ERROR, message: problem });
              log.error({ subject }, `request handler answered with an attachment it may not send: ${problem}`);
              return msg.respond(encodeJson({ ok: false, code: 'internal', message: 'internal error; see the service log' }));
            }
            const { payload, headers } = encodeAttachedReply(encodeJson({ ok: true, data: response.response }), response.octets);
            return msg.respond(payload, { headers });
          },
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
  return (await sendRequestWithAttachment(nc, ns, definition, payload, timeoutMs)).response;
}

/** The request's reply and the attachment it carried (undefined when none): the attachment is checked against the definition's bound, the JSON against its schema. */
export async function sendRequestWithAttachment<D extends RequestDefinition>(
  nc: NatsConnection,
  ns: BusNamespace,
  definition: D,
  payload: RequestPayload<D>,
  timeoutMs: number,
): Promise<ReplyWithAttachment<D>> {
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
  const parts = splitAttachedReply(reply.data, reply.headers, definition.attachment?.maxOctets);
  if (!parts.ok) throw new RequestFailedError(subject, `invalid reply: ${parts.reason}`);
  const envelope = decodeWith(ReplyEnvelope, parts.json);
  if (!envelope.ok) throw new RequestFailedError(subject, envelope.reason);
  if (!envelope.value.ok) throw new RemoteError(envelope.value.code, envelope.value.message);
  const response = definition.response.safeParse(envelope.value.data);
  if (!response.success) throw new RequestFailedError(subject, `invalid reply: ${response.error.message}`);
  return { response: response.data as ResponsePayload<D>, attachment: parts.attachment };
}
