/**
 * `mail.v1.relay.queue`: what `mailctl queue` asks, like Postfix's mailq and
 * postsuper. Any replica answers from the shared Redis state.
 * - list: every message waiting for remote delivery, oldest first;
 * - show: one message with every recipient, settled ones included;
 * - retry: its unsettled recipients are due now, and a fresh copy of the
 *   message is published so JetStream hands it out at once (once that copy
 *   is delivered, the copy it replaces is acknowledged without work when it
 *   comes back);
 * - delete: delivery stops; the unsettled recipients are recorded as
 *   `deleted` and a `deleted` delivery event is published for each (never
 *   silently), the sender is not notified — as `postsuper -d` — and the body
 *   goes when no local recipient needs it.
 * retry and delete take the message's lease, so they never run beside a delivery.
 */
import { RemoteError } from '@mail/bus';
import type { QueueEntry, QueuedRecipient, RelayQueueRequest, RelayQueueResponse } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import { finishMessage, type DeliveryRunDependencies } from './delivery-run';
import type { SettledRecipient } from './done-store';
import type { MessageLease, MessageLocks } from './message-lock';
import type { QueueRecord } from './queue-store';

export type QueueAdminDependencies = Pick<DeliveryRunDependencies, 'done' | 'queue' | 'recorder' | 'requeue' | 'deleteBody' | 'now'> & {
  readonly locks: MessageLocks;
  readonly log: Pick<Logger, 'info' | 'warn'>;
  /** How long retry and delete wait for a delivery in progress to finish. */
  readonly leaseWaitMs?: number;
};

export function createQueueAdmin(deps: QueueAdminDependencies) {
  const now = () => deps.now?.() ?? new Date();
  return async (request: RelayQueueRequest): Promise<RelayQueueResponse> => {
    switch (request.op) {
      case 'list':
        return { entries: (await deps.queue.list()).map((record) => entryOf(record, new Map())) };
      case 'show': {
        const record = await found(deps, request.queueId);
        return { entries: [entryOf(record, await deps.done.load(request.queueId))] };
      }
      case 'retry': {
        const updated = await withLease(deps, request.queueId, async () => {
          const record = await found(deps, request.queueId);
          const at = now().toISOString();
          const pending = Object.fromEntries(Object.entries(record.pending).map(([address, p]) => [address, { ...p, retryAt: at }]));
          const due = { ...record, pending, updatedAt: at };
          await deps.queue.save(due);
          return due;
        });
        // Published once the lease is free, so the copy starts at once; its delivery makes it the live copy
        const seq = await deps.requeue(updated.message, `${request.queueId}:retry:${updated.activeSeq}`);
        deps.log.info({ queueId: request.queueId, seq }, 'queued message to be retried now (mailctl queue retry)');
        return { entries: [entryOf(updated, new Map())], message: `${request.queueId}: ${Object.keys(updated.pending).length} recipient(s) to be tried now` };
      }
      case 'delete':
        return withLease(deps, request.queueId, async () => {
          const record = await found(deps, request.queueId);
          const at = now().toISOString();
          const deleted: SettledRecipient[] = Object.keys(record.pending).map((recipient) => ({
            recipient,
            outcome: 'deleted',
            detail: 'removed from the queue by an administrator (mailctl queue delete); the sender was not notified',
            at,
            announced: false,
          }));
          await deps.recorder.settle(record.message, deleted);
          await finishMessage(deps, record.message);
          deps.log.warn({ queueId: request.queueId, recipients: deleted.map((d) => d.recipient) }, 'queued message deleted (mailctl queue delete)');
          return { entries: [], message: `${request.queueId}: deleted, ${deleted.length} recipient(s) will not be delivered` };
        });
    }
  };
}

async function found(deps: Pick<QueueAdminDependencies, 'queue'>, queueId: string): Promise<QueueRecord> {
  const record = await deps.queue.load(queueId);
  if (!record) throw new RemoteError('not-found', `${queueId} is not in the outbound queue`);
  return record;
}

/** Runs `work` holding the message's lease, waiting a little for a delivery in progress. */
async function withLease<T>(deps: QueueAdminDependencies, queueId: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + (deps.leaseWaitMs ?? 10_000);
  let lease: MessageLease | undefined;
  while (!(lease = await deps.locks.acquire(queueId))) {
    if (Date.now() > deadline) throw new RemoteError('busy', `${queueId} is being delivered right now; try again in a moment`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await work();
  } finally {
    await lease.release();
  }
}

/** The queue entry as the contract shows it; settled recipients only when `done` has them. */
function entryOf(record: QueueRecord, done: ReadonlyMap<string, SettledRecipient>): QueueEntry {
  const { message } = record;
  const pending: QueuedRecipient[] = Object.entries(record.pending).map(([address, p]) => ({
    address,
    state: p.state,
    ...(p.detail ? { detail: p.detail } : {}),
    ...(p.retryAt ? { retryAt: p.retryAt } : {}),
  }));
  const settled: QueuedRecipient[] = [...done.values()].map((s) => ({ address: s.recipient, state: s.outcome, detail: s.detail }));
  const times = pending.flatMap((p) => (p.retryAt ? [Date.parse(p.retryAt)] : []));
  return {
    queueId: message.queueId,
    mailFrom: message.envelope.mailFrom,
    queuedAt: message.queuedAt,
    size: message.body.size,
    attempts: record.attempts,
    ...(times.length > 0 ? { nextAttemptAt: new Date(Math.min(...times)).toISOString() } : {}),
    recipients: [...settled, ...pending],
  };
}
