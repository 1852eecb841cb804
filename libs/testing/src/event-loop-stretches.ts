/**
 * How much of this thread's CPU a piece of asynchronous work took, and the
 * longest stretch of it without a turn for anything else on the event loop:
 * what a test of "parsed on the event loop, in short stretches" measures.
 * CPU time of this thread, not the wall clock, so a loaded machine taking
 * turns away does not count as the work's doing.
 */

const threadCpuMs = (): number => {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
};

export interface EventLoopStretches {
  /** This thread's CPU time from the start of `work` to its end. */
  readonly cpuMs: number;
  /** The longest CPU time between two turns of the event loop meanwhile. */
  readonly longestStretchMs: number;
}

/** Runs `work`, timing it as {@link EventLoopStretches} (a rejection counts as an end). */
export async function measureEventLoopStretches(work: () => Promise<unknown>): Promise<EventLoopStretches> {
  let last = threadCpuMs();
  let longest = 0;
  let running = true;
  const tick = (): void => {
    const now = threadCpuMs();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const started = threadCpuMs();
  await work().catch(() => undefined);
  const ended = threadCpuMs();
  running = false;
  return { cpuMs: ended - started, longestStretchMs: Math.max(longest, ended - last) };
}

/**
 * The descriptions of the cases `measure` finds slow at each of `tries`
 * tries (over `maxCpuMs` or with a stretch of `maxStretchMs`): work handled
 * badly is slow every time, one garbage collection or a cold compile
 * counted in this thread's CPU time is not.
 */
export async function slowAtEveryTry<T extends { readonly name: string }>(
  cases: readonly T[],
  measure: (item: T) => Promise<EventLoopStretches>,
  limits: { readonly maxCpuMs: number; readonly maxStretchMs: number; readonly tries?: number },
): Promise<string[]> {
  const tries = limits.tries ?? 3;
  const slow: string[] = [];
  for (const item of cases) {
    const measured: string[] = [];
    for (let attempt = 0; attempt < tries; attempt++) {
      const { cpuMs, longestStretchMs } = await measure(item);
      if (cpuMs < limits.maxCpuMs && longestStretchMs < limits.maxStretchMs) break;
      measured.push(`${cpuMs.toFixed(1)} ms, longest stretch ${longestStretchMs.toFixed(1)} ms`);
    }
    if (measured.length === tries) slow.push(`${item.name}: ${measured.join('; ')}`);
  }
  return slow;
}
