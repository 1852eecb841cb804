/**
 * The lanes of one destination group of a batch (batch-delivery.ts) and the
 * per-domain slots they need (domain-slots.ts): one worker per lane, each
 * taking the group's next lane and a slot of each of its domains, and
 * keeping both the slot and its connections for the group's next lane with
 * the same domains.
 *
 * A lane whose domain is at its limit is left to the workers of its group
 * that hold slots: they take it after their own, over the connections the
 * limit allows, instead of its messages being throttled for
 * OUTBOUND_THROTTLE_DELAY while their destination is being served. A batch
 * can thus plan more lanes than there are free slots (two batches of one
 * busy destination, or another replica's lanes) and lose no time over it;
 * the limit still counts connections. Only when no worker of the group
 * holds a slot are its lane's messages throttled, as before.
 */
import type { DomainSlots, SlotLease } from './domain-slots';

export interface LaneWork<Lane, Result, Worker> {
  domainsOf(lane: Lane): readonly string[];
  /** What a worker keeps from lane to lane (its connections). */
  startWorker(): Worker;
  endWorker(worker: Worker): void;
  /** Delivers the lane's messages while its slots are held; never throws (each message gets its own result). */
  send(lane: Lane, worker: Worker): Promise<Result[]>;
  /** Every domain of the group at its limit: the lane's messages wait for a free slot. */
  throttled(lane: Lane, domains: readonly string[]): Result[];
  /** The slots could not be asked for (Redis unreachable): nothing was sent. */
  failed(lane: Lane, error: unknown): Result[];
}

/** One worker per lane, for the caller to run within its bound; together they deliver every lane exactly once. */
export function laneWorkers<Lane, Result, Worker>(lanes: readonly Lane[], slots: DomainSlots | undefined, work: LaneWork<Lane, Result, Worker>): (() => Promise<Result[]>)[] {
  const pending = [...lanes];
  /** Workers of the group holding slots now: a lane pushed back to `pending` is taken by one of them. */
  let holders = 0;

  const worker = async (): Promise<Result[]> => {
    const results: Result[] = [];
    if (pending.length === 0) return results;
    const state = work.startWorker();
    let held: { readonly key: string; readonly lease: SlotLease | undefined } | undefined;
    const letGo = async () => {
      if (!held) return;
      const { lease } = held;
      held = undefined;
      holders--;
      // A slot that cannot be given back (Redis unreachable) runs out by itself; the outcomes stand
      await lease?.release().catch(() => undefined);
    };
    try {
      for (let lane = pending.shift(); lane !== undefined; lane = pending.shift()) {
        const domains = [...new Set(work.domainsOf(lane))].sort();
        const key = domains.join(' ');
        if (held?.key !== key) {
          await letGo();
          let lease: SlotLease | undefined;
          try {
            lease = await slots?.acquire(domains);
          } catch (error) {
            results.push(...work.failed(lane, error));
            continue;
          }
          if (slots && !lease) {
            if (holders > 0) {
              pending.push(lane);
              break;
            }
            results.push(...work.throttled(lane, domains));
            continue;
          }
          held = { key, lease };
          holders++;
        }
        results.push(...(await work.send(lane, state)));
      }
    } finally {
      work.endWorker(state);
      await letGo();
    }
    return results;
  };
  return lanes.map(() => worker);
}
