/**
 * Requests to outbound-relay over NATS (`mail.v1.relay.*`).
 */
import type { RequestDefinition, RequestPayload, ResponsePayload } from '@mail/contracts';
import { sendServiceRequest, type BusSettings, type ServiceOutcome } from './service-request';

export type RelayOutcome<T> = ServiceOutcome<T>;

export function sendRelayRequest<D extends RequestDefinition>(settings: BusSettings, definition: D, payload: RequestPayload<D>): Promise<RelayOutcome<ResponsePayload<D>>> {
  return sendServiceRequest(settings, 'outbound-relay', definition, payload);
}
