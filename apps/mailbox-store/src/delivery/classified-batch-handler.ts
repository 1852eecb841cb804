/**
 * Batches of classified messages (bus.consumeBatches). Each message is
 * planned (recipients resolved, folder, stored size); then
 *
 * - the small ones (stored size up to groupCommitMaxBytes) go into one
 *   group, even a group of one: those whose body is in the object store
 *   are admitted together without locks first (one statement: whose body
 *   is worth reading), a body carried inline in the event is read at once
 *   (nothing is saved by asking first); then they are stored in one
 *   transaction (group-commit.ts), whose locked admission decides, and
 *   their delivery events are published after its commit;
 * - a larger one is stored alone, streamed in pieces, one at a time
 *   (classified-handler.ts), beside the group's transaction.
 *
 * Each message gets its own outcome: a corrupt body is dead-lettered, a
 * body that cannot be read now or an event that cannot be published is
 * retried — without holding back the others. When the group's transaction
 * fails (a PostgreSQL error: a constraint, a trigger, a deadlock), it is
 * rolled back whole and its messages are stored one at a time, so that only
 * the bad one fails; the store being idempotent, nothing is doubled.
 *
 * At a low rate most batches hold one or two messages, so what a batch
 * costs whatever its size counts: a group of one whose body is inline
 * takes five statements (BEGIN, lock, admission, the row with its
 * entries, COMMIT; group-commit.ts) where the one-at-a-time path takes
 * eight (a preview, BEGIN, an existence check, the row, lock, admission,
 * entries, COMMIT).
 */
import { context } from '@opentelemetry/api';
import { done, failed, outcomeOf, type BatchHandler, type BatchMessage, type MessageOutcome } from '@mail/bus';
import type { MailClassified } from '@mail/contracts';
import { createClassifiedHandler, openStoredBody, permanentIfCorrupt, type ClassifiedHandlerDeps } from './classified-handler';
import { planDelivery, reportDelivery, type DeliveryPlan } from './delivery-plan';
import { storeGroup, type GroupMember } from './group-commit';
import type { WholeMessageRow } from './message-row';
import { admitMessages, type Admission, type MessageToAdmit } from './recipient-admission';
import { outcomeOf as storeOutcomeOf, type StoreOutcome } from './store-message';

/**
 * Stored size up to which a message joins the group: read whole into
 * memory (a batch of 64 holds at most 16 MiB), never more than one write
 * piece (STORE_WRITE_CHUNK), so memory per delivery keeps its bound.
 */
export const groupCommitMaxBytes = 256 * 1024;

type Planned = { readonly message: BatchMessage<MailClassified>; readonly plan: DeliveryPlan; readonly index: number };

/** What became of a group member before the transaction: read, held already, taken by nobody, or failed on its own. */
type Prepared =
  | { readonly kind: 'read'; readonly row: WholeMessageRow }
  | { readonly kind: 'held' }
  | { readonly kind: 'nobody'; readonly outcome: StoreOutcome }
  | { readonly kind: 'failed'; readonly outcome: MessageOutcome };

export function createClassifiedBatchHandler(deps: ClassifiedHandlerDeps): BatchHandler<MailClassified> {
  const storeOne = createClassifiedHandler(deps);
  const groupMax = Math.min(groupCommitMaxBytes, deps.writeChunkBytes);
  const alone = (message: BatchMessage<MailClassified>) => context.with(message.traceContext, () => outcomeOf(storeOne(message.payload)));
  const report = (planned: Planned, outcome: StoreOutcome) => context.with(planned.message.traceContext, () => outcomeOf(reportDelivery(deps, planned.plan, outcome)));

  /** `preview`: the admission without locks, when the body is worth asking about first (undefined: read it). */
  async function prepare({ plan }: Planned, preview: Admission | undefined): Promise<Prepared> {
    if (preview !== undefined && preview.accepted.length === 0) return preview.held.length === 0 ? { kind: 'nobody', outcome: storeOutcomeOf(preview, 0) } : { kind: 'held' };
    try {
      const { metadata, pieces } = await openStoredBody(deps, plan, Math.max(1, plan.size));
      const parts: Buffer[] = [];
      for await (const piece of pieces.pieces()) parts.push(piece);
      const { event } = plan;
      return { kind: 'read', row: { queueId: event.queueId, envelopeFrom: event.envelope.mailFrom, receivedAt: event.receivedAt, metadata, raw: Buffer.concat(parts), sha256: pieces.sha256 } };
    } catch (error) {
      return { kind: 'failed', outcome: failed(permanentIfCorrupt(error, plan)) };
    }
  }

  /** The group's outcomes, in its order. */
  async function storeAsGroup(group: readonly Planned[]): Promise<MessageOutcome[]> {
    const toAdmit = group.map(({ plan }) => ({ queueId: plan.event.queueId, size: plan.size, mailboxes: plan.mailboxes }));
    // Without locks first: a body in the object store that nobody can take is not even read. One inline is read anyway.
    const worthAsking = group.flatMap(({ plan }, i) => (plan.event.body.inline === undefined ? [i] : []));
    const asked =
      worthAsking.length === 0
        ? []
        : await admitMessages(
            deps.pool,
            worthAsking.map((i) => toAdmit[i] as MessageToAdmit),
            { lock: false },
          );
    const previews = new Map(worthAsking.map((index, i) => [index, asked[i] as Admission]));
    const prepared = await Promise.all(group.map((planned, i) => prepare(planned, previews.get(i))));
    const members = new Map<Planned, GroupMember>();
    prepared.forEach((state, i) => {
      const planned = group[i] as Planned;
      if (state.kind === 'read' || state.kind === 'held') {
        members.set(planned, { ...(toAdmit[i] as MessageToAdmit), folder: planned.plan.folder, row: state.kind === 'read' ? state.row : undefined });
      }
    });
    const stored = new Map<Planned, StoreOutcome>();
    if (members.size > 0) {
      try {
        const outcomes = await storeGroup(deps.pool, [...members.values()], deps.onStep, deps.notify);
        [...members.keys()].forEach((planned, i) => stored.set(planned, outcomes[i] as StoreOutcome));
      } catch (error) {
        deps.log.warn({ err: error, messages: members.size }, 'group commit failed and was rolled back; storing its messages one at a time');
        deps.metrics.groupFallback();
        return storeEachAlone(group);
      }
      deps.onStep?.('committed');
    }
    const outcomes = await Promise.all(
      prepared.map((state, i) => {
        const planned = group[i] as Planned;
        if (state.kind === 'failed') return state.outcome;
        return report(planned, state.kind === 'nobody' ? state.outcome : (stored.get(planned) as StoreOutcome));
      }),
    );
    if (members.size > 0) deps.onStep?.('events-published');
    return outcomes;
  }

  async function storeEachAlone(messages: readonly Planned[]): Promise<MessageOutcome[]> {
    const outcomes: MessageOutcome[] = [];
    for (const { message } of messages) outcomes.push(await alone(message));
    return outcomes;
  }

  return async (batch) => {
    const plans = await Promise.all(batch.map((message) => planDelivery(deps.pool, deps.log, message.payload)));
    const outcomes: MessageOutcome[] = batch.map(() => done);
    const group: Planned[] = [];
    const large: Planned[] = [];
    plans.forEach((plan, index) => {
      if (plan !== undefined) (plan.size <= groupMax ? group : large).push({ message: batch[index] as BatchMessage<MailClassified>, plan, index });
    });
    const settle = (members: readonly Planned[]) => (results: readonly MessageOutcome[]) =>
      members.forEach((member, i) => (outcomes[member.index] = results[i] ?? failed(new Error('no outcome for this message'))));
    // Both finish before the batch answers: a throw (PostgreSQL unreachable, say) then hands every message over again alone.
    const work = await Promise.allSettled([(group.length > 0 ? storeAsGroup(group) : Promise.resolve([])).then(settle(group)), storeEachAlone(large).then(settle(large))]);
    for (const result of work) if (result.status === 'rejected') throw result.reason;
    return outcomes;
  };
}
