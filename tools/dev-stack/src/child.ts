/**
 * One process the launcher started. It runs in its own process group so a
 * Ctrl-C in the terminal reaches only the launcher, which then stops the
 * children in order (services first so they drain while NATS, PostgreSQL
 * and Redis are still there). Output is read line by line, printed with the
 * child's name or kept quietly, and the last lines are remembered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ExitStatus } from './exit-status';
import { RecentLines } from './recent-lines';
import type { Terminal } from './terminal';

/** What to run and how to treat it. */
export interface ChildSpec {
  /** Label in output and messages (`smtp-ingress`, `postgres`). */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Run as another user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
  /** Print output live (services) or keep it for a failure report only (infrastructure). */
  printOutput: boolean;
  /** The signal that asks for a clean stop; SIGTERM unless the program wants another. */
  stopSignal?: NodeJS.Signals;
  /** How long a clean stop may take before SIGKILL. */
  stopTimeoutMs: number;
  /** Children of higher tiers are stopped first. */
  tier: number;
}

/** How many trailing lines are kept for failure reports. */
const keptLines = 40;

/** After `exit`, how long to wait for the output pipes to drain. */
const drainGraceMs = 1_000;

export class Child {
  readonly name: string;
  readonly tier: number;
  /** Resolves once the process has ended and its output was read. */
  readonly exited: Promise<ExitStatus>;
  private readonly process: ChildProcess;
  private readonly recent = new RecentLines(keptLines);
  private status: ExitStatus | undefined;

  constructor(
    private readonly spec: ChildSpec,
    terminal: Terminal,
  ) {
    this.name = spec.name;
    this.tier = spec.tier;
    this.process = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    for (const stream of [this.process.stdout, this.process.stderr]) this.readLines(stream, terminal);
    this.exited = new Promise((resolve) => {
      this.process.once('error', (error) => {
        if (this.process.pid === undefined) resolve((this.status = { code: null, signal: null, error }));
      });
      this.process.once('exit', (code, signal) => {
        this.status = { code, signal };
        const timer = setTimeout(() => resolve({ code, signal }), drainGraceMs);
        this.process.once('close', () => {
          clearTimeout(timer);
          resolve({ code, signal });
        });
      });
    });
  }

  /** Whether the process is still alive. */
  get running(): boolean {
    return this.status === undefined && this.process.pid !== undefined;
  }

  /** The last lines the process printed, oldest first. */
  recentLines(): string[] {
    return this.recent.list();
  }

  /** Asks for a clean stop, and kills the process group if that takes too long. */
  async stop(): Promise<ExitStatus> {
    if (this.running) this.signal(this.spec.stopSignal ?? 'SIGTERM', false);
    const timer = setTimeout(() => this.kill(), this.spec.stopTimeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process and anything it started, at once. */
  kill(): void {
    if (this.process.pid !== undefined) this.signal('SIGKILL', true);
  }

  private signal(signal: NodeJS.Signals, wholeGroup: boolean): void {
    const pid = this.process.pid;
    if (pid === undefined) return;
    try {
      process.kill(wholeGroup ? -pid : pid, signal);
    } catch {
      // Already gone.
    }
  }

  private readLines(stream: Readable | null, terminal: Terminal): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.recent.push(line);
      if (this.spec.printOutput) terminal.childLine(this.name, line);
    });
  }
}
