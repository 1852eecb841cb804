import { describe, expect, it } from 'vitest';
import { CpuMeter, independentRoots, millisecondsPerMessage, ticksBetween, treeTicks, type CpuReading } from './cpu-meter';
import type { ProcessStat } from './process-cpu';

const stat = (pid: number, ppid: number, ownTicks: number, reapedChildrenTicks = 0): ProcessStat => ({ pid, ppid, command: 'p', ownTicks, reapedChildrenTicks });
// postmaster 10 (reaped 500) → backends 11, 12 → 12 has a child 13; 20 is unrelated
const processes = new Map([stat(10, 1, 5, 500), stat(11, 10, 30), stat(12, 10, 40, 2), stat(13, 12, 7), stat(20, 1, 1000)].map((s) => [s.pid, s]));

describe('treeTicks', () => {
  it('sums own and reaped time over the root and every live descendant', () => {
    expect(treeTicks(processes, 10)).toBe(5 + 500 + 30 + 40 + 2 + 7);
    expect(treeTicks(processes, 12)).toBe(49);
  });

  it('is undefined for a process that is gone', () => {
    expect(treeTicks(processes, 99)).toBeUndefined();
  });
});

describe('independentRoots', () => {
  it('drops a root below another root, and roots that are gone', () => {
    expect(independentRoots(processes, [12, 10, 20, 99])).toEqual([10, 20]);
  });
});

describe('ticksBetween', () => {
  it('counts a root that appeared meanwhile from zero and leaves out one that is gone', () => {
    const before = new Map([
      [1, 100],
      [2, 50],
    ]);
    const after = new Map([
      [1, 130],
      [3, 20],
    ]);
    expect(ticksBetween(before, after)).toBe(30 + 20);
  });
});

describe('millisecondsPerMessage', () => {
  it('turns ticks into milliseconds with USER_HZ and divides by the messages', () => {
    expect(millisecondsPerMessage(300, 100, 1000)).toBe(3);
    expect(millisecondsPerMessage(300, 1000, 100)).toBe(3);
  });

  it('is NaN without messages', () => {
    expect(millisecondsPerMessage(300, 100, 0)).toBeNaN();
  });
});

describe('CpuMeter.perMessage', () => {
  const meter = new CpuMeter(
    [
      { name: 'smtp-ingress', inTotal: true, roots: async () => [] },
      { name: 'cluster', inTotal: true, minus: 'own queries', roots: async () => [] },
      { name: 'backends', inTotal: false, roots: async () => [] },
      { name: 'own queries', inTotal: false, listed: false, roots: async () => [] },
      { name: 'absent', inTotal: true, roots: async () => [] },
    ],
    100,
  );
  const reading = (entries: Record<string, [number, number][]>): CpuReading => new Map(Object.entries(entries).map(([name, trees]) => [name, new Map(trees)]));
  const before = reading({ 'smtp-ingress': [[5, 1000]], cluster: [[10, 4000]], backends: [[11, 100]], 'own queries': [[12, 10]], absent: [] });
  const after = reading({ 'smtp-ingress': [[5, 1200]], cluster: [[10, 4600]], backends: [[11, 300]], 'own queries': [[12, 110]], absent: [] });

  it('gives each listed subject per message, takes the bench’s own queries off the cluster, and totals what is in the total', () => {
    expect(meter.perMessage(before, after, 100)).toEqual([
      { name: 'smtp-ingress', msPerMessage: 20 },
      { name: 'cluster', msPerMessage: 50 },
      { name: 'backends', msPerMessage: 20 },
      { name: 'total', msPerMessage: 70 },
    ]);
  });
});
