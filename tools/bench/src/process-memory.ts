/**
 * Memory of a process from /proc/<pid>/status (Linux): VmRSS, the resident
 * set now, RssAnon, the part of it that is the process's own (the rest is
 * file pages, mostly the node binary's, shared by every Node process on the
 * machine), and VmHWM, its high-water mark since the process started. A
 * sampler polls a set of processes to catch peaks VmHWM alone would hide
 * (VmHWM never goes down, so an earlier peak masks a later one). A tree
 * of processes (a Dovecot master and its login and imap processes) is
 * summed from /proc/<pid>/smaps_rollup: Pss, each shared page divided
 * among the processes mapping it, so the sum is what the tree costs.
 */
import { readFile } from 'node:fs/promises';
import { readAllProcessStats } from './process-cpu';

export interface ProcessMemory {
  readonly rssBytes: number;
  readonly anonymousBytes: number;
  readonly hwmBytes: number;
}

/** A `Name: <n> kB` line of a /proc text, in bytes; NaN when the kernel did not write it. */
function kilobyteField(text: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Parses the VmRSS, RssAnon and VmHWM lines (in kB) of a /proc/<pid>/status text. */
export function parseProcStatus(text: string): ProcessMemory {
  return { rssBytes: kilobyteField(text, 'VmRSS'), anonymousBytes: kilobyteField(text, 'RssAnon'), hwmBytes: kilobyteField(text, 'VmHWM') };
}

export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
}

/** Rss and Pss (in kB) of a /proc/<pid>/smaps_rollup text, in bytes. */
export function parseSmapsRollup(text: string): { rssBytes: number; pssBytes: number } {
  return { rssBytes: kilobyteField(text, 'Rss'), pssBytes: kilobyteField(text, 'Pss') };
}

/** `root` and every process below it now, from their parent pids. */
export function processTree(parents: ReadonlyMap<number, number>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  const tree: number[] = [];
  for (const pending = [root]; pending.length > 0;) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Summed Rss and Pss of `root`'s process tree, and how many processes it has (those exiting while read are left out). */
export async function readTreeMemory(root: number): Promise<{ processes: number; rssBytes: number; pssBytes: number }> {
  const stats = await readAllProcessStats();
  const pids = processTree(new Map([...stats.values()].map((stat) => [stat.pid, stat.ppid])), root);
  const readings = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/smaps_rollup`, 'utf8').then(parseSmapsRollup, () => undefined)));
  const read = readings.filter((reading) => reading !== undefined && Number.isFinite(reading.pssBytes)) as { rssBytes: number; pssBytes: number }[];
  return { processes: read.length, rssBytes: read.reduce((sum, r) => sum + r.rssBytes, 0), pssBytes: read.reduce((sum, r) => sum + r.pssBytes, 0) };
}

/** Peak RSS per process over a period, polled every `intervalMs`. */
export class MemorySampler {
  private readonly peak = new Map<string, number>();
  private readonly baseline = new Map<string, ProcessMemory>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly processes: ReadonlyMap<string, number>,
    private readonly intervalMs = 20,
  ) {}

  async start(): Promise<void> {
    for (const [name, pid] of this.processes) {
      const memory = await readProcessMemory(pid);
      this.baseline.set(name, memory);
      this.peak.set(name, memory.rssBytes);
    }
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  private async sample(): Promise<void> {
    await Promise.all(
      [...this.processes].map(async ([name, pid]) => {
        const memory = await readProcessMemory(pid).catch(() => undefined);
        if (memory) this.peak.set(name, Math.max(this.peak.get(name) ?? 0, memory.rssBytes));
      }),
    );
  }

  /** Stops and returns, per process, RSS before, the peak seen, and the growth (peak − before). */
  async stop(): Promise<Map<string, { beforeBytes: number; peakBytes: number; growthBytes: number }>> {
    clearInterval(this.timer);
    await this.sample();
    const result = new Map<string, { beforeBytes: number; peakBytes: number; growthBytes: number }>();
    for (const [name, pid] of this.processes) {
      const before = this.baseline.get(name) as ProcessMemory;
      const after = await readProcessMemory(pid).catch(() => before);
      // a high-water mark that moved during the period is a peak the polling may have missed
      const hwmPeak = after.hwmBytes > before.hwmBytes ? after.hwmBytes : 0;
      const peakBytes = Math.max(this.peak.get(name) ?? 0, hwmPeak);
      result.set(name, { beforeBytes: before.rssBytes, peakBytes, growthBytes: peakBytes - before.rssBytes });
    }
    return result;
  }
}
