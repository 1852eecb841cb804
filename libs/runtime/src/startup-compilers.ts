/**
 * V8's optimising compilers (Maglev, TurboFan) turned on again once a
 * service has work to do. nodeRuntime's flags (@mail/service-catalog) start
 * every service with them off: loading its modules would otherwise make
 * functions hot enough to compile, and the compilers' code pages and what
 * they leave behind stay resident in the idle process (about 9 MiB,
 * docs/benchmarks.md, issue 14). Turning them on at ready was not enough:
 * background work of an idle service (spam-filter's DNS-list self-test
 * encoding a few packets) makes some small function hot within seconds, and
 * its compilation brings the same pages back.
 *
 * So after ready the process's CPU time is read every second, and the
 * compilers come back once it used more than `busyShare` of a core over the
 * last `windowMs`: within about a second under load, within the window
 * under a light steady load. Below that share the service runs in the
 * interpreter and Sparkplug, which costs at most a fraction of that share.
 * Only the compilers this process's command line turned off are turned on;
 * a process started without those flags (tsx in development) is left as it
 * is. V8 reads these flags as it decides to optimise a function, so from
 * then on hot code is optimised as usual; worker threads share the flags.
 */
import { setFlagsFromString } from 'node:v8';
import { startupHeldCompilers } from '@mail/service-catalog';

/** The held compilers that `execArgv` turned off. */
export function heldCompilers(execArgv: readonly string[] = process.execArgv): string[] {
  return startupHeldCompilers.filter((name) => execArgv.includes(`--no-${name}`));
}

/** Turns on the compilers named (as returned by heldCompilers). */
export function resumeCompilers(names: readonly string[], setFlags: (flags: string) => void = setFlagsFromString): void {
  for (const name of names) setFlags(`--${name}`);
}

export interface CompilerResumeOptions {
  /** Called once the compilers are on again, with their names and the CPU milliseconds of the window that turned them on. */
  readonly onResume: (names: readonly string[], cpuMs: number) => void;
  readonly execArgv?: readonly string[];
  readonly setFlags?: (flags: string) => void;
  /** The process's CPU time so far, in microseconds (user and system, every thread). */
  readonly cpuMicros?: () => number;
  /** How often the CPU time is read (default 1 s). */
  readonly intervalMs?: number;
  /** The window the share is taken over (default 10 s). */
  readonly windowMs?: number;
  /** The share of one core over the window that turns the compilers on (default 5 %). */
  readonly busyShare?: number;
}

export interface CompilerResume {
  /** The compilers still held (none once resumed, or when the command line held none). */
  readonly held: readonly string[];
  /** Stops watching (shutdown); the compilers stay as they are. */
  stop(): void;
}

const processCpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

/** Watches the process's CPU time and turns the held compilers on once it is busy (see above). */
export function resumeCompilersWhenBusy(options: CompilerResumeOptions): CompilerResume {
  const { onResume, execArgv = process.execArgv, setFlags = setFlagsFromString, cpuMicros = processCpuMicros, intervalMs = 1_000, windowMs = 10_000, busyShare = 0.05 } = options;
  let held = heldCompilers(execArgv);
  if (held.length === 0) return { held, stop: () => undefined };
  const samples = [cpuMicros()];
  const kept = Math.max(1, Math.round(windowMs / intervalMs));
  const timer = setInterval(() => {
    samples.push(cpuMicros());
    if (samples.length > kept + 1) samples.shift();
    const cpuMs = ((samples.at(-1) as number) - (samples[0] as number)) / 1_000;
    if (cpuMs < busyShare * windowMs) return;
    clearInterval(timer);
    const names = held;
    resumeCompilers(names, setFlags);
    held = [];
    onResume(names, cpuMs);
  }, intervalMs);
  timer.unref();
  return {
    get held() {
      return held;
    },
    stop: () => clearInterval(timer),
  };
}
