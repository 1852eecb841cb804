/**
 * @mail/bus — the JetStream plumbing every service uses: connect, provision
 * the streams, consumers and body bucket named in @mail/contracts, publish
 * with acknowledgement, consume with explicit ack (one at a time or in
 * batches, each message settled by its own outcome), redelivery with backoff
 * and dead-lettering, typed request/reply, typed key-value buckets watched
 * by replicas, and the OpenTelemetry context carried in message headers.
 */
export { Bus, type BusOptions } from './bus';
export { BodyNotFoundError, BodyReadTimeoutError, BodyStore, BodyTooLargeError } from './body-store';
export { type ConsumerHandle, type ConsumeOptions } from './consume';
export { type BatchHandler, type BatchMessage, type ConsumeBatchesOptions } from './consume-batches';
export { done, failed, outcomeOf, type Delivery, type MessageOutcome } from './message-lifecycle';
export { PermanentError, RequestFailedError, RemoteError } from './errors';
export { provisionBus } from './provision';
export { PublishFailedError } from './publish-pipeline';
export { RecordBucket, type BucketChange, type BucketWatch } from './record-bucket';
export { AttachedReply, withAttachment } from './reply-attachment';
export { type ReplyWithAttachment, type RequestHandler } from './request-reply';
export { NatsSettingsError, natsAuthOptions, type NatsConnectionSettings } from './connection-options';
