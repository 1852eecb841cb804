/** OpenTelemetry context in NATS headers (W3C traceparent/tracestate). */
import { ROOT_CONTEXT, context, propagation, type Context } from '@opentelemetry/api';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';

/** Headers carrying the active trace context. */
export function headersWithTraceContext(ctx: Context = context.active()): MsgHdrs {
  const hdrs = createHeaders();
  propagation.inject(ctx, hdrs, { set: (carrier, key, value) => carrier.set(key, value) });
  return hdrs;
}

/** The producer's context from a message's headers, so the consumer span becomes its child. */
export function contextFromHeaders(hdrs: MsgHdrs | undefined): Context {
  if (!hdrs) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, hdrs, {
    get: (carrier, key) => (carrier.has(key) ? carrier.get(key) : undefined),
    keys: (carrier) => carrier.keys(),
  });
}
