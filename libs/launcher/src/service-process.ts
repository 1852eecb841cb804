/**
 * One service as a child process, run from its build the way the image runs
 * it: wait until its /readyz answers 200, keep what it writes (all of it for
 * a test that reads its logs, the last lines for a launcher that runs for
 * days), and stop it with the signal the caller chooses — SIGTERM to drain
 * (SIGKILL after a deadline), SIGKILL to crash.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { nodeRuntime, type ServiceName } from '@mail/service-catalog';
import { freePort } from './free-port';
import { serviceArguments, workspaceRoot } from './workspace';

export interface ServiceProcessOptions {
  /** Deadline for /readyz to answer 200 (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** Wait for /readyz (default true); false: resolve once spawned, for a test that expects the start to fail. */
  readonly waitReady?: boolean;
  /** Modules given to `node --import` before the service (test-only hooks). */
  readonly preload?: readonly string[];
  /** Every line the process writes (stdout and stderr), as it comes. */
  readonly onLine?: (line: string) => void;
  /** Lines kept for output() and error reports (default: all). */
  readonly keptLines?: number;
  /** Run in a process group of its own, so a Ctrl-C at the terminal reaches only the launcher, which then stops the services in order. */
  readonly ownProcessGroup?: boolean;
  /** How long stop() waits after its signal before SIGKILL (default 15 s). */
  readonly stopTimeoutMs?: number;
  /** Called once the process exists, before it is ready: whoever may have to stop it knows it from then on. */
  readonly onSpawn?: (service: ServiceProcess) => void;
}

export interface ServiceProcess {
  readonly app: ServiceName;
  readonly pid: number;
  /** Port of its ops endpoint (/readyz, /healthz, /metrics). */
  readonly opsPort: number;
  /**
   * Milliseconds from the spawn to the first /readyz 200 (polled every 100 ms,
   * so at most that much late); undefined until then, or when not waited for.
   */
  readonly readyAfterMs: number | undefined;
  /** The lines kept so far, each with its newline (JSON log lines). */
  output(): string;
  /** The last `count` lines kept, oldest first. */
  recentLines(count?: number): string[];
  /** Resolves with the exit code (or signal) once the process has ended and its output was read. */
  readonly exited: Promise<number | string>;
  readonly running: boolean;
  /** stop() or kill() was called: an exit now is no crash. */
  readonly stopRequested: boolean;
  /** SIGTERM by default; SIGKILL after `timeoutMs`; resolves how it ended. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
  /** SIGKILL now (its whole process group, when it has one). */
  kill(): void;
}

/** A service did not become ready: it exited, or /readyz did not answer 200 in time. */
export class ServiceStartError extends Error {
  override name = 'ServiceStartError';
  constructor(
    readonly service: ServiceName,
    /** One line: what went wrong. */
    readonly reason: string,
    /** What the service wrote last. */
    readonly lastLines: readonly string[],
  ) {
    super(`${reason}\n--- ${service} output ---\n${lastLines.join('\n')}`);
  }
}

/** After `exit`, how long to wait for the output pipes to drain (a grandchild may hold them). */
const outputDrainMs = 1_000;
const readyPollMs = 100;
const readyRequestTimeoutMs = 1_000;
/** Lines of output shown when a start fails. */
const linesInErrors = 60;

/** Starts `name` with `env` over this process's environment; its ops port is env's HTTP_PORT or a free one. */
export async function startServiceProcess(name: ServiceName, env: Readonly<Record<string, string>>, options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const opsPort = env['HTTP_PORT'] ? Number(env['HTTP_PORT']) : await freePort();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, serviceArguments(name, options.preload ? { preload: options.preload } : {}), {
    cwd: workspaceRoot,
    env: { ...process.env, ...nodeRuntime.environment, ...env, HTTP_PORT: String(opsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup === true,
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (options.keptLines !== undefined && lines.length > options.keptLines) lines.shift();
    options.onLine?.(line);
  };
  const reading = [child.stdout, child.stderr].map((stream) => readLines(stream, keep));
  let ended = false;
  let stopRequested = false;
  let readyAfterMs: number | undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      ended = true;
      keep(`could not be started: ${error.message}`);
      resolve('spawn-error');
    });
    child.once('exit', (code, signal) => {
      ended = true;
      const how = code ?? signal ?? 'unknown';
      const timer = setTimeout(() => resolve(how), outputDrainMs);
      void Promise.all(reading).then(() => {
        clearTimeout(timer);
        resolve(how);
      });
    });
  });

  const signal = (which: NodeJS.Signals) => {
    const pid = child.pid;
    if (pid === undefined || ended) return;
    try {
      // A SIGKILL takes the whole group along, so nothing the service started outlives it
      process.kill(options.ownProcessGroup && which === 'SIGKILL' ? -pid : pid, which);
    } catch {
      // Already gone.
    }
  };
  const handle: ServiceProcess = {
    app: name,
    pid: child.pid ?? -1,
    opsPort,
    output: () => lines.map((line) => `${line}\n`).join(''),
    recentLines: (count = linesInErrors) => lines.slice(-count),
    exited,
    get readyAfterMs() {
      return readyAfterMs;
    },
    get running() {
      return !ended;
    },
    get stopRequested() {
      return stopRequested;
    },
    async stop(which = 'SIGTERM', timeoutMs = options.stopTimeoutMs ?? 15_000) {
      stopRequested = true;
      signal(which);
      const timer = setTimeout(() => signal('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill() {
      stopRequested = true;
      signal('SIGKILL');
    },
  };
  options.onSpawn?.(handle);
  if (options.waitReady !== false) {
    await waitUntilReady(handle, options.readyTimeoutMs ?? 30_000);
    readyAfterMs = performance.now() - spawnedAt;
  }
  return handle;
}

/** Polls /readyz until it answers 200; on a deadline or an exit, kills the process and throws ServiceStartError. */
async function waitUntilReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = 'no answer yet';
  for (;;) {
    if (!service.running) throw new ServiceStartError(service.app, `${service.app} exited during start-up (${await service.exited})`, service.recentLines());
    try {
      const response = await fetch(`http://127.0.0.1:${service.opsPort}/readyz`, { signal: AbortSignal.timeout(readyRequestTimeoutMs) });
      if (response.status === 200) return;
      lastAnswer = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      lastAnswer = (error as Error).message;
    }
    if (Date.now() > deadline) {
      await service.stop('SIGKILL');
      throw new ServiceStartError(service.app, `${service.app} was not ready after ${timeoutMs / 1000} s (last /readyz answer: ${lastAnswer})`, service.recentLines());
    }
    await new Promise((resolve) => setTimeout(resolve, readyPollMs));
  }
}

/** Hands every line of a stream to `keep`; resolves when the stream has ended. */
function readLines(stream: Readable | null, keep: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', keep);
    lines.once('close', () => resolve());
  });
}
