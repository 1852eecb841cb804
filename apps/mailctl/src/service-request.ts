/**
 * One request from mailctl to a service over NATS: connect (without
 * provisioning anything), send, close. The outcome says whether the service
 * did it, refused it, or nobody answered — each becomes a clear message.
 */
import { RemoteError, RequestFailedError, type Bus } from '@mail/bus';
import type { RequestDefinition, RequestPayload, ResponsePayload } from '@mail/contracts';

import { connectAsMailctl, type BusSettings } from './bus-settings';

export type { BusSettings } from './bus-settings';

export type ServiceOutcome<T> =
  { readonly kind: 'done'; readonly response: T } | { readonly kind: 'refused'; readonly code: string; readonly message: string } | { readonly kind: 'unreachable'; readonly message: string };

/** Admin requests hash passwords (scrypt) and the relay generates RSA keys: allow for a busy server. */
const requestTimeoutMs = 15_000;

export async function sendServiceRequest<D extends RequestDefinition>(settings: BusSettings, service: string, definition: D, payload: RequestPayload<D>): Promise<ServiceOutcome<ResponsePayload<D>>> {
  const hint = 'is the system running (npm start)?';
  let bus: Bus;
  try {
    bus = await connectAsMailctl(settings);
  } catch (error) {
    return { kind: 'unreachable', message: `cannot connect to NATS at ${settings.natsUrl} (${(error as Error).message}); ${hint}` };
  }
  try {
    return { kind: 'done', response: await bus.request(definition, payload, requestTimeoutMs) };
  } catch (error) {
    if (error instanceof RemoteError) return { kind: 'refused', code: error.code, message: error.message };
    if (error instanceof RequestFailedError) return { kind: 'unreachable', message: `no ${service} answered on ${settings.natsUrl}; ${hint}` };
    throw error;
  } finally {
    await bus.close();
  }
}
