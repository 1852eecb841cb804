/**
 * The consumer of queued outbound mail. For one delivery of one message:
 * acknowledge it without work when it is a stale copy (a `retry` or a
 * renewal published a newer one), else take the message's lease (one worker
 * per message across replicas) and run one delivery round (delivery-run.ts).
 * The round either finishes (the bus acks) or throws DeliveryDeferredError,
 * whose `retryInMs` the bus uses for its nak: JetStream redelivers the
 * message then, durably, whatever happens to this process meanwhile.
 */
import type { Delivery } from '@mail/bus';
import type { OutboundQueued } from '@mail/contracts';
import { DeliveryDeferredError } from './deferral';
import { runDelivery, type DeliveryRunDependencies } from './delivery-run';
import type { MessageLease, MessageLocks } from './message-lock';

export { DeliveryDeferredError } from './deferral';

export interface RelayHandlerDependencies extends DeliveryRunDependencies {
  readonly locks: MessageLocks;
}

/** Longest wait for a lease held elsewhere (a crashed holder's lease runs out by then). */
const MAX_LEASE_WAIT_MS = 60_000;
/** An administrator's retry or delete holds the lease for a moment only: wait that long before deferring. */
const BRIEF_LEASE_WAIT_MS = 2_000;

async function acquireSoon(locks: MessageLocks, queueId: string): Promise<MessageLease | undefined> {
  const deadline = Date.now() + BRIEF_LEASE_WAIT_MS;
  for (;;) {
    const lease = await locks.acquire(queueId);
    if (lease || Date.now() >= deadline) return lease;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function createRelayHandler(deps: RelayHandlerDependencies) {
  return async (message: OutboundQueued, delivery: Pick<Delivery, 'deliveryCount' | 'streamSequence'>): Promise<void> => {
    const known = await deps.queue.load(message.queueId);
    if (known && delivery.streamSequence < known.activeSeq) {
      deps.log.info({ queueId: message.queueId, seq: delivery.streamSequence, activeSeq: known.activeSeq }, 'stale copy of a queued message acknowledged');
      return;
    }
    const lease = await acquireSoon(deps.locks, message.queueId);
    if (!lease) {
      const waitMs = Math.min(MAX_LEASE_WAIT_MS, Math.max(1000, await deps.locks.remainingMs(message.queueId)));
      throw new DeliveryDeferredError(message.queueId, 0, waitMs, 'recipients: the message is being worked on elsewhere');
    }
    try {
      await runDelivery(deps, message, delivery);
    } finally {
      await releaseLease(deps, lease, message.queueId);
    }
  };
}

/**
 * A lease that cannot be released (Redis unreachable) runs out by itself;
 * failing the handler over it would turn a finished round into a redelivery
 * — and, were Redis's record of settled recipients lost meanwhile (a
 * restart without persistence), a second copy for recipients already served.
 */
async function releaseLease(deps: Pick<RelayHandlerDependencies, 'log'>, lease: MessageLease, queueId: string): Promise<void> {
  try {
    await lease.release();
  } catch (error) {
    deps.log.warn({ err: error, queueId }, 'releasing the message lease failed; it runs out by itself');
  }
}
