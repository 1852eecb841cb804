/**
 * Memory of a process from /proc/<pid>/status (Linux): VmRSS, the resident
 * set now, RssAnon, the part of it that is the process's own (the rest is
 * file pages, mostly the node binary's, shared by every Node process on the
 * machine), and VmHWM, its high-water mark since the process started. A
 * sampler polls a set of processes to catch peaks VmHWM alone would hide
 * (VmHWM never goes down, so an earlier peak masks a later one).
 */
import { readFile } from 'node:fs/promises';

export interface ProcessMemory {
  readonly rssBytes: number;
  readonly anonymousBytes: number;
  readonly hwmBytes: number;
}

/** Parses the VmRSS, RssAnon and VmHWM lines (in kB) of a /proc/<pid>/status text. */
export function parseProcStatus(text: string): ProcessMemory {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  };
  return { rssBytes: field('VmRSS'), anonymousBytes: field('RssAnon'), hwmBytes: field('VmHWM') };
}

export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
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
