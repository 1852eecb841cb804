/**
 * All processes the launcher started, and stopping them in the right order:
 * highest tier first (services drain while the infrastructure they use is
 * still up), each with its own clean-stop signal and deadline, SIGKILL after.
 */
import { Child, type ChildSpec } from './child';
import { describeExit, type ExitStatus } from './exit-status';
import type { Terminal } from './terminal';

/** Called when a long-running child ends before the launcher asked it to. */
export type UnexpectedExitHandler = (child: Child, status: ExitStatus) => void;

export class ProcessGroup {
  private readonly children: Child[] = [];
  private stoppingAll = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly onUnexpectedExit: UnexpectedExitHandler,
  ) {}

  /** Whether the group is shutting down; nothing new is started then. */
  get stopping(): boolean {
    return this.stoppingAll;
  }

  /** Starts a long-running process; its ending early is reported as a failure. */
  start(spec: ChildSpec): Child {
    const child = this.spawn(spec);
    void child.exited.then((status) => {
      if (!this.stoppingAll) this.onUnexpectedExit(child, status);
    });
    return child;
  }

  /** Runs a command to completion (initdb, migrations); it is stopped too if the launcher shuts down meanwhile. */
  async run(spec: ChildSpec): Promise<{ status: ExitStatus; lines: string[] }> {
    const child = this.spawn(spec);
    const status = await child.exited;
    this.children.splice(this.children.indexOf(child), 1);
    return { status, lines: child.recentLines() };
  }

  /** Stops every child, tier by tier from the highest; resolves with how many were running. */
  async stopAll(): Promise<number> {
    this.stoppingAll = true;
    let stopped = 0;
    const tiers = [...new Set(this.children.map((child) => child.tier))].sort((a, b) => b - a);
    for (const tier of tiers) {
      const running = this.children.filter((child) => child.tier === tier && child.running);
      if (running.length === 0) continue;
      stopped += running.length;
      this.terminal.info(`stopping ${running.map((child) => child.name).join(', ')}`);
      await Promise.all(
        running.map(async (child) => {
          const status = await child.stop();
          if (status.signal === 'SIGKILL') this.terminal.warn(`${child.name} did not stop in time and ${describeExit(status)}`);
        }),
      );
    }
    return stopped;
  }

  /** Last resort when the launcher itself is going down: SIGKILL everything now. */
  killAll(): void {
    this.stoppingAll = true;
    for (const child of this.children) if (child.running) child.kill();
  }

  private spawn(spec: ChildSpec): Child {
    if (this.stoppingAll) throw new ShuttingDownError(spec.name);
    const child = new Child(spec, this.terminal);
    this.children.push(child);
    return child;
  }
}

/** Thrown when something would be started while everything is being stopped. */
export class ShuttingDownError extends Error {
  override name = 'ShuttingDownError';
  constructor(what: string) {
    super(`not starting ${what}: shutting down`);
  }
}
