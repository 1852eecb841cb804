/**
 * Where accepted mail goes: the body into the JetStream object store (or,
 * up to INLINE_BODY_MAX_OCTETS, inline in the event), then
 * the `mail.v1.inbound.received` event, published with the queue id as
 * msgID and acknowledged by JetStream. A small interface, so handler tests
 * substitute an in-memory queue; production uses the bus.
 */
import { Events, type BodyReference, type MailReceived } from '@mail/contracts';
import type { Bus } from '@mail/bus';

/** The hand-off of an accepted message to the rest of the platform. */
export interface MailQueue {
  /** Stores the body under `key` (resolves once JetStream acknowledged every chunk), or inlines a small one in the reference. */
  putBody(key: string, chunks: readonly Uint8Array[], maxSize: number): Promise<BodyReference>;
  /** Publishes the event; resolves once JetStream acknowledged it (msgID = queue id, so a retry is a no-op). */
  publish(event: MailReceived): Promise<void>;
  /** Removes a body whose event was never published (best effort by the caller). */
  deleteBody(key: string): Promise<void>;
}

/** The queue over the bus: object store plus JetStream publish. */
export function busMailQueue(bus: Bus): MailQueue {
  return {
    putBody: (key, chunks, maxSize) => bus.bodies.putInlineIfSmall(key, chunks, maxSize),
    async publish(event) {
      await bus.publish(Events.mailReceived, event, event.queueId);
    },
    // BodyStore.delete needs only the key of the reference.
    deleteBody: (key) => bus.bodies.delete({ bucket: bus.bodies.bucket, key, size: 0, sha256: '0'.repeat(64) }),
  };
}
