import { describe, expect, it } from 'vitest';
import type { DomainSlots } from './domain-slots';
import { laneWorkers, type LaneWork } from './lane-workers';

/** Slots as RedisDomainSlots counts them (all of a lane's domains or none), in memory; `limit` per domain. */
function fakeSlots(limit: number) {
  const held = new Map<string, number>();
  let acquired = 0;
  const slots: DomainSlots = {
    async acquire(domains) {
      await Promise.resolve();
      if (domains.some((d) => (held.get(d) ?? 0) >= limit)) return undefined;
      for (const d of domains) held.set(d, (held.get(d) ?? 0) + 1);
      acquired++;
      return {
        release: async () => {
          for (const d of domains) held.set(d, (held.get(d) ?? 1) - 1);
        },
      };
    },
  };
  return { slots, held, acquired: () => acquired };
}

interface Lane {
  readonly name: string;
  readonly domains: readonly string[];
}

/** Sends take a few turns of the event loop; records which worker sent which lane and the slots held meanwhile. */
function recordingWork(held: Map<string, number>) {
  const sent: { lane: string; worker: number; heldDuring: number }[] = [];
  let workers = 0;
  let ended = 0;
  const work: LaneWork<Lane, string, { readonly id: number }> = {
    domainsOf: (lane) => lane.domains,
    startWorker: () => ({ id: ++workers }),
    endWorker: () => void ended++,
    async send(lane, worker) {
      for (let i = 0; i < 3; i++) await Promise.resolve();
      sent.push({ lane: lane.name, worker: worker.id, heldDuring: held.get(lane.domains[0] as string) ?? 0 });
      return [`sent ${lane.name}`];
    },
    throttled: (lane, domains) => [`throttled ${lane.name} (${domains.join(' ')})`],
    failed: (lane, error) => [`failed ${lane.name}: ${(error as Error).message}`],
  };
  return { work, sent, started: () => workers, ended: () => ended };
}

const run = async <R>(workers: (() => Promise<R[]>)[]) => (await Promise.all(workers.map((w) => w()))).flat();
const lanes = (count: number, domains: readonly string[] = ['busy.test']): Lane[] => Array.from({ length: count }, (_, i) => ({ name: `lane${i + 1}`, domains }));

describe('laneWorkers', () => {
  it('runs each lane on its own worker, holding a slot of its domain, when the slots allow', async () => {
    const { slots, held } = fakeSlots(10);
    const { work, sent } = recordingWork(held);
    const results = await run(laneWorkers(lanes(3), slots, work));
    expect(results.sort()).toEqual(['sent lane1', 'sent lane2', 'sent lane3']);
    expect(new Set(sent.map((s) => s.worker)).size).toBe(3);
    expect(Math.max(...sent.map((s) => s.heldDuring))).toBe(3);
    expect(held.get('busy.test')).toBe(0);
  });

  it('gives the lanes that find the domain at its limit to the worker holding its slot, instead of throttling them', async () => {
    const { slots, held, acquired } = fakeSlots(1);
    const { work, sent, started, ended } = recordingWork(held);
    const results = await run(laneWorkers(lanes(4), slots, work));
    expect(results.sort()).toEqual(['sent lane1', 'sent lane2', 'sent lane3', 'sent lane4']);
    // One connection's worth: one worker, one slot taken once, never more than one held
    expect(new Set(sent.map((s) => s.worker)).size).toBe(1);
    expect(sent.every((s) => s.heldDuring === 1)).toBe(true);
    expect(acquired()).toBe(1);
    expect(held.get('busy.test')).toBe(0);
    expect(ended()).toBe(started());
  });

  it('throttles the lanes when no worker of the group holds a slot (another replica has them all)', async () => {
    const { slots, held } = fakeSlots(1);
    held.set('busy.test', 1);
    const { work, sent } = recordingWork(held);
    const results = await run(laneWorkers(lanes(2), slots, work));
    expect(results).toEqual(['throttled lane1 (busy.test)', 'throttled lane2 (busy.test)']);
    expect(sent).toEqual([]);
  });

  it('takes a slot of every domain of a lane, and the next lane with other domains asks again', async () => {
    const { slots, held, acquired } = fakeSlots(1);
    const { work, sent } = recordingWork(held);
    const workers = laneWorkers(
      [
        { name: 'both', domains: ['b.test', 'a.test', 'b.test'] },
        { name: 'a-only', domains: ['a.test'] },
      ],
      slots,
      work,
    );
    // One worker for both lanes: it lets the pair go before it asks for a.test alone
    const results = await workers[0]?.();
    expect(results).toEqual(['sent both', 'sent a-only']);
    expect(sent.map((s) => s.lane)).toEqual(['both', 'a-only']);
    expect(acquired()).toBe(2);
    expect([held.get('a.test'), held.get('b.test')]).toEqual([0, 0]);
    expect(await workers[1]?.()).toEqual([]);
  });

  it('fails the lanes whose slots cannot be asked for (Redis unreachable), and sends nothing of them', async () => {
    const slots: DomainSlots = { acquire: async () => Promise.reject(new Error('Connection is closed.')) };
    const { work, sent } = recordingWork(new Map());
    expect(await run(laneWorkers(lanes(2), slots, work))).toEqual(['failed lane1: Connection is closed.', 'failed lane2: Connection is closed.']);
    expect(sent).toEqual([]);
  });

  it('sends every lane without slots to ask for when there is no limit', async () => {
    const { work, sent } = recordingWork(new Map());
    expect((await run(laneWorkers(lanes(2), undefined, work))).sort()).toEqual(['sent lane1', 'sent lane2']);
    expect(sent).toHaveLength(2);
  });
});
