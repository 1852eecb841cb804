/**
 * @mail/bus — the JetStream plumbing every service uses: connect, provision
 * the streams, consumers and body bucket named in @mail/contracts, publish
 * with acknowledgement, consume with explicit ack, redelivery with backoff
 * and dead-lettering, typed request/reply, and the OpenTelemetry context
 * carried in message headers.
 */
export { Bus, type BusOptions } from './bus';
export { BodyNotFoundError, BodyReadTimeoutError, BodyStore, BodyTooLargeError } from './body-store';
export { type ConsumerHandle, type Delivery, type ConsumeOptions } from './consume';
export { PermanentError, RequestFailedError, RemoteError } from './errors';
export { provisionBus } from './provision';
