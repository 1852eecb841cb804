/**
 * The consumer of queued outbound mail in batches (bus.consumeBatches): the
 * round of delivery-run.ts for every message of the batch at once, its
 * Redis records in one pipeline per step (batch-records.ts) and its
 * deliveries grouped by destination (delivery/batch-delivery.ts):
 *
 * 1. one pipeline: each message's lease, queue record and settled recipients;
 *    a stale copy is acked, a message whose lease another worker holds goes
 *    the one-at-a-time way beside the batch (relay-handler.ts waits for it);
 * 2. one pipeline: the queue records of the messages to deliver;
 * 3. every due message delivered (lanes of one connection per destination),
 *    each message's final outcomes recorded as soon as its lane has them,
 *    before the lane's connection carries the next message (a remote 250
 *    cannot be taken back: a crash then sends again only the message whose
 *    record was under way), retried through a short Redis outage as
 *    OutcomeRecorder does;
 * 4. one pipeline: every settled recipient of the round (those of step 3
 *    again, and temporary failures settled as expired on a last attempt);
 * 5. per message: its delivery events and notices, deferrals, delay notice;
 * 6. one pipeline: announcements marked, finished records removed, waiting
 *    ones updated, leases released.
 *
 * Each message ends by its own outcome: acked when finished (or renewed),
 * naked with its next recipient's time (DeliveryDeferredError), or failed
 * alone on its own error — a Redis command, a publish, a delivery bug — and
 * redelivered then, the records making the next round idempotent as
 * before. A batch of one, and every message of a batch that fails as a
 * whole (the bus hands them over again one at a time), take the
 * one-at-a-time path.
 */
import { context } from '@opentelemetry/api';
import { done, failed, outcomeOf, type BatchHandler, type BatchMessage, type Delivery, type MessageOutcome } from '@mail/bus';
import type { OutboundQueued } from '@mail/contracts';
import type { BatchDeliveryItem, ItemDelivery } from '../delivery/batch-delivery';
import type { MessageRequest } from '../delivery/host-attempt';
import type { RecipientOutcome } from '../delivery/recipient-outcome';
import type { ClosingMessage, OpenedMessage, RelayRecords } from './batch-records';
import {
  announceLeftovers,
  concludeRound,
  deferral,
  dropBody,
  logOutcomes,
  nearDeliveryLimit,
  notDueYet,
  planRound,
  renew,
  recordFinal,
  sendDelayNotice,
  type DeliveryRunDependencies,
  type RoundResult,
} from './delivery-run';
import { announced } from './outcome-recorder';
import type { QueueRecord } from './queue-store';

export interface BatchRelayDependencies extends Omit<DeliveryRunDependencies, 'deliver'> {
  readonly records: RelayRecords;
  /** The messages as they go out (signed, scanned), in order. */
  prepare(messages: readonly OutboundQueued[]): Promise<MessageRequest[]>;
  /** `onDelivered` gets each message's outcomes at one destination as soon as they are known (batch-delivery.ts). */
  deliverBatch(items: readonly BatchDeliveryItem[], onDelivered: (item: number, outcomes: readonly RecipientOutcome[]) => Promise<void>): Promise<ItemDelivery[]>;
  /** The one-at-a-time handler (relay-handler.ts). */
  alone(message: OutboundQueued, delivery: Delivery): Promise<void>;
}

/** A message of the batch under its lease, and what its round has come to. */
interface Round {
  readonly index: number;
  readonly message: BatchMessage<OutboundQueued>;
  readonly opened: OpenedMessage & { readonly leaseToken: string };
  state?: QueueRecord;
  due?: readonly string[];
  result?: RoundResult;
  finished?: boolean;
  /** Its outcome once known; until then it is still in the round. */
  outcome?: MessageOutcome;
}

export function createBatchRelayHandler(deps: BatchRelayDependencies): BatchHandler<OutboundQueued> {
  const alone = (message: BatchMessage<OutboundQueued>) => context.with(message.traceContext, () => outcomeOf(deps.alone(message.payload, message.delivery)));
  const inContext = <T>(round: Round, work: () => Promise<T>) => context.with(round.message.traceContext, work);

  return async (batch) => {
    if (batch.length === 1) return [await alone(batch[0] as BatchMessage<OutboundQueued>)];
    const now = deps.now?.() ?? new Date();
    const outcomes: MessageOutcome[] = batch.map(() => done);
    const opened = await deps.records.open(batch.map((m) => m.payload.queueId));
    const rounds: Round[] = [];
    const elsewhere: Promise<void>[] = [];
    const stale: { queueId: string; leaseToken: string }[] = [];
    batch.forEach((message, index) => {
      const found = opened[index] as OpenedMessage | Error;
      if (found instanceof Error) outcomes[index] = failed(found);
      else if (found.record && message.delivery.streamSequence < found.record.activeSeq) {
        deps.log.info({ queueId: found.queueId, seq: message.delivery.streamSequence, activeSeq: found.record.activeSeq }, 'stale copy of a queued message acknowledged');
        if (found.leaseToken) stale.push({ queueId: found.queueId, leaseToken: found.leaseToken });
      } else if (!found.leaseToken) elsewhere.push(alone(message).then((outcome) => void (outcomes[index] = outcome)));
      else rounds.push({ index, message, opened: { ...found, leaseToken: found.leaseToken } });
    });
    await deps.records.release(stale);
    const stopRefreshing = deps.records.keepLeases(rounds.map((r) => r.opened));
    try {
      await runRounds(deps, rounds, now, inContext);
    } catch (error) {
      // A bug, not an outcome: the bus hands every message over again alone, and the leases must not stand in the way
      await deps.records.release(rounds.map((r) => r.opened));
      throw error;
    } finally {
      stopRefreshing();
    }
    await Promise.all(elsewhere);
    for (const round of rounds) outcomes[round.index] = round.outcome ?? done;
    return outcomes;
  };
}

type InContext = <T>(round: Round, work: () => Promise<T>) => Promise<T>;

const live = (rounds: readonly Round[]) => rounds.filter((r) => r.outcome === undefined);

async function runRounds(deps: BatchRelayDependencies, rounds: readonly Round[], now: Date, inContext: InContext): Promise<void> {
  await Promise.all(
    rounds.map((round) =>
      inContext(round, async () => {
        try {
          await announceLeftovers(deps, round.message.payload, round.opened.done);
          const plan = planRound(round.message.payload, round.message.delivery, round.opened.record, round.opened.done, now);
          if (plan.kind === 'deliver') [round.state, round.due] = [plan.state, plan.due];
          else round.finished = true;
        } catch (error) {
          round.outcome = failed(error);
        }
      }),
    ),
  );
  const toSave = live(rounds).filter((r) => r.state);
  failEach(toSave, await deps.records.saveQueue(toSave.map((r) => r.state as QueueRecord)));
  for (const round of live(rounds)) if (round.state && round.due?.length === 0) round.outcome = failed(notDueYet(round.state, now));

  await deliverDue(
    deps,
    live(rounds).filter((r) => r.state),
    now,
  );
  const settling = live(rounds).filter((r) => r.result && r.result.settled.length > 0);
  await saveSettledWithRetries(deps, settling);
  await Promise.all(live(rounds).map((round) => inContext(round, () => announceRound(deps, round, now))));
  await closeRounds(deps, rounds, now);
}

/** Step 3: prepare and deliver every due message; each gets its round's result or fails alone. */
async function deliverDue(deps: BatchRelayDependencies, rounds: readonly Round[], now: Date): Promise<void> {
  if (rounds.length === 0) return;
  let deliveries: ItemDelivery[];
  try {
    const requests = await deps.prepare(rounds.map((r) => r.message.payload));
    const items = rounds.map((round, i): BatchDeliveryItem => {
      const { payload, traceContext } = round.message;
      return { queueId: payload.queueId, mailFrom: payload.envelope.mailFrom, recipients: round.due ?? [], request: requests[i] as MessageRequest, traceContext };
    });
    deliveries = await deps.deliverBatch(items, (item, outcomes) => recordFinal(deps.recorder, (items[item] as BatchDeliveryItem).queueId, outcomes, now));
  } catch (error) {
    // Nothing went out (the lanes catch their own errors): every message is retried
    for (const round of rounds) round.outcome = failed(error);
    return;
  }
  rounds.forEach((round, i) => {
    const delivery = deliveries[i];
    if (!delivery || 'error' in delivery) round.outcome = failed(delivery?.error ?? new Error('no delivery result'));
    else round.result = concludeRound(deps.policy, round.state as QueueRecord, round.due ?? [], delivery.outcomes, round.message.delivery, now);
  });
}

/** Step 4, retried through a short outage of Redis: a failure here would send delivered recipients a second copy. */
async function saveSettledWithRetries(deps: BatchRelayDependencies, rounds: readonly Round[]): Promise<void> {
  let pending = rounds;
  for (const delayMs of [...deps.recorder.recordRetryDelaysMs, undefined]) {
    if (pending.length === 0) return;
    const results = await deps.records.saveSettled(pending.map((r) => ({ queueId: r.message.payload.queueId, settled: r.result?.settled ?? [] })));
    const failures = pending.flatMap((round, i) => (results[i] ? [[round, results[i]] as const] : []));
    if (delayMs === undefined) for (const [round, error] of failures) round.outcome = failed(error);
    else if (failures.length > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    pending = failures.map(([round]) => round);
  }
}

/** Step 5 for one message: its events and notices, as runDelivery sends them. */
async function announceRound(deps: BatchRelayDependencies, round: Round, now: Date): Promise<void> {
  const message = round.message.payload;
  try {
    const result = round.result;
    if (!result) return;
    deps.recorder.count(result.settled);
    if (result.settled.length > 0) await deps.recorder.publishSettled(message, result.settled);
    logOutcomes(deps.log, message.queueId, result.attempts, result.settled, result.waiting);
    if (result.deferred.length > 0) await deps.recorder.defer(message, result.deferred, result.attempts);
    if (result.updated) await sendDelayNotice(deps, message, result.updated.pending, result.waiting, now);
    else round.finished = true;
  } catch (error) {
    round.outcome = failed(error);
  }
}

/** Step 6: one pipeline for the batch, then what is left per message (bodies, renewals) and each outcome. */
async function closeRounds(deps: BatchRelayDependencies, rounds: readonly Round[], now: Date): Promise<void> {
  const closing = rounds.map((round): ClosingMessage => {
    const queueId = round.message.payload.queueId;
    if (round.outcome) return { queueId, leaseToken: round.opened.leaseToken };
    const settled = round.result?.settled ?? [];
    return { queueId, leaseToken: round.opened.leaseToken, announced: announced(settled), ...(round.finished ? { finished: true } : { record: round.result?.updated }) };
  });
  const results = await deps.records.close(closing);
  await Promise.all(
    rounds.map(async (round, i) => {
      if (round.outcome) return;
      if (results[i]) return void (round.outcome = failed(results[i]));
      round.outcome = await outcomeOf(afterClose(deps, round, now));
    }),
  );
}

async function afterClose(deps: BatchRelayDependencies, round: Round, now: Date): Promise<void> {
  const message = round.message.payload;
  // The queue record went in the close pipeline; the body is what is left
  if (round.finished) return dropBody(deps, message);
  const updated = round.result?.updated;
  if (!updated) return;
  if (nearDeliveryLimit(deps.policy, round.message.delivery)) return renew(deps, updated, round.message.delivery);
  throw deferral(updated, now);
}

function failEach(rounds: readonly Round[], results: readonly (Error | undefined)[]): void {
  rounds.forEach((round, i) => {
    if (results[i]) round.outcome = failed(results[i]);
  });
}
