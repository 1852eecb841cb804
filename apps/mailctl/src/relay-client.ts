/**
 * Requests to outbound-relay over NATS (`mail.v1.relay.*`): connect, send
 * one request, close. Like admin-client.ts, the outcome says whether the
 * relay did it, refused it, or nobody answered.
 */
import { Bus, RemoteError, RequestFailedError } from '@mail/bus';
import type { RequestDefinition, RequestPayload, ResponsePayload } from '@mail/contracts';
import type { BusSettings } from './admin-client';

export type RelayOutcome<T> =
  | { readonly kind: 'done'; readonly response: T }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string };

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Generating an RSA key takes a moment on a busy relay. */
const requestTimeoutMs = 15_000;

export async function sendRelayRequest<D extends RequestDefinition>(settings: BusSettings, definition: D, payload: RequestPayload<D>): Promise<RelayOutcome<ResponsePayload<D>>> {
  const hint = 'is outbound-relay running (npm start)?';
  let bus: Bus;
  try {
    bus = await Bus.connect({ url: settings.natsUrl, name: `mailctl/${process.pid}`, namespace: settings.natsNamespace, replicas: settings.streamReplicas, provision: false, log: silent });
  } catch (error) {
    return { kind: 'unreachable', message: `cannot connect to NATS at ${settings.natsUrl} (${(error as Error).message}); ${hint}` };
  }
  try {
    return { kind: 'done', response: await bus.request(definition, payload, requestTimeoutMs) };
  } catch (error) {
    if (error instanceof RemoteError) return { kind: 'refused', code: error.code, message: error.message };
    if (error instanceof RequestFailedError) return { kind: 'unreachable', message: `no outbound-relay answered on ${settings.natsUrl}; ${hint}` };
    throw error;
  } finally {
    await bus.close();
  }
}
