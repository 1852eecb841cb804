/**
 * CPU milliseconds per message of named processes, from two readings of
 * /proc taken around a scenario. A subject is a set of process trees: the
 * root, its live descendants, and the children they have reaped (cutime +
 * cstime). Summing those over the live processes counts a child that
 * exited between the readings too — its whole time is in its parent's
 * cutime by then (proc(5), wait(2)) — which is what makes short-lived
 * PostgreSQL backends and Postfix's smtpd processes count.
 */
import { readAllProcessStats, type ProcessStat } from './process-cpu';

export interface CpuSubject {
  /** How the rows name it, e.g. "smtp-ingress" or "PostgreSQL (whole cluster, shared)". */
  readonly name: string;
  /** The roots of its trees right now; a subject with none is left out of the reading. */
  roots(): Promise<readonly number[]>;
  /** Whether it is part of the total; false for a subject that is part of another (a subset of the same processes). */
  readonly inTotal: boolean;
  /** Another subject whose ticks are taken off this one's (the bench's own queries inside the PostgreSQL cluster). */
  readonly minus?: string;
  /** False for a subject only read to be taken off another: no row of its own. */
  readonly listed?: boolean;
}

/** A reading: subject name → root pid → CPU ticks of that root's tree. */
export type CpuReading = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface CpuPerMessage {
  readonly name: string;
  readonly msPerMessage: number;
}

/** Roots that are not descendants of another root, so no tree is counted twice. */
export function independentRoots(stats: ReadonlyMap<number, ProcessStat>, roots: readonly number[]): number[] {
  const wanted = new Set(roots);
  const hasRootAncestor = (pid: number): boolean => {
    const seen = new Set<number>();
    for (let parent = stats.get(pid)?.ppid; parent !== undefined && parent > 0 && !seen.has(parent); parent = stats.get(parent)?.ppid) {
      if (wanted.has(parent)) return true;
      seen.add(parent);
    }
    return false;
  };
  return [...wanted].filter((pid) => stats.has(pid) && !hasRootAncestor(pid));
}

/** Ticks of `root`'s tree: own and reaped-children time of the root and of every live descendant; undefined when the root is gone. */
export function treeTicks(stats: ReadonlyMap<number, ProcessStat>, root: number): number | undefined {
  if (!stats.has(root)) return undefined;
  const children = new Map<number, number[]>();
  for (const stat of stats.values()) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  let ticks = 0;
  const pending = [root];
  const seen = new Set<number>();
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    const stat = stats.get(pid);
    if (stat) ticks += stat.ownTicks + stat.reapedChildrenTicks;
    pending.push(...(children.get(pid) ?? []));
  }
  return ticks;
}

/**
 * Ticks used between two readings of one subject: for each root of the
 * later reading, its ticks minus those it had before (0 for a root that
 * appeared meanwhile). A root gone by the later reading is not counted:
 * its time is lost unless a root's tree reaped it.
 */
export function ticksBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks;
}

/** CPU milliseconds per message: ticks → ms with USER_HZ, divided by the message count (NaN without messages). */
export function millisecondsPerMessage(ticks: number, ticksPerSecond: number, messages: number): number {
  return messages > 0 && ticksPerSecond > 0 ? (ticks * 1000) / ticksPerSecond / messages : Number.NaN;
}

export class CpuMeter {
  constructor(
    readonly subjects: readonly CpuSubject[],
    readonly ticksPerSecond: number,
  ) {}

  /** Reads every subject's trees now (one pass over /proc). */
  async read(): Promise<CpuReading> {
    const rootsBySubject = await Promise.all(this.subjects.map(async (subject) => [subject.name, await subject.roots().catch(() => [])] as const));
    const stats = await readAllProcessStats();
    const reading = new Map<string, Map<number, number>>();
    for (const [name, roots] of rootsBySubject) {
      const trees = new Map<number, number>();
      for (const root of independentRoots(stats, roots)) trees.set(root, treeTicks(stats, root) ?? 0);
      reading.set(name, trees);
    }
    return reading;
  }

  /** Each subject's CPU ms per message between two readings, then their total ("total" row) over the subjects in it. */
  perMessage(before: CpuReading, after: CpuReading, messages: number): CpuPerMessage[] {
    const used = (name: string): number => ticksBetween(before.get(name) ?? new Map(), after.get(name) ?? new Map());
    let totalTicks = 0;
    const rows: CpuPerMessage[] = [];
    for (const subject of this.subjects) {
      if ((after.get(subject.name)?.size ?? 0) === 0) continue;
      const ticks = used(subject.name) - (subject.minus === undefined ? 0 : used(subject.minus));
      if (subject.inTotal) totalTicks += ticks;
      if (subject.listed !== false) rows.push({ name: subject.name, msPerMessage: millisecondsPerMessage(ticks, this.ticksPerSecond, messages) });
    }
    rows.push({ name: 'total', msPerMessage: millisecondsPerMessage(totalTicks, this.ticksPerSecond, messages) });
    return rows;
  }

  /** Reads now and returns the CPU per message since `before`. */
  async since(before: CpuReading, messages: number): Promise<CpuPerMessage[]> {
    return this.perMessage(before, await this.read(), messages);
  }
}

/** A subject of known pids (a service, a private server the bench started, a daemon's pid file). */
export function processSubject(name: string, pids: () => readonly number[] | Promise<readonly number[]>, inTotal = true): CpuSubject {
  return { name, inTotal, roots: async () => pids() };
}
