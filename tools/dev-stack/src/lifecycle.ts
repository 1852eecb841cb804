/**
 * How the launcher ends. Ctrl-C (SIGINT) or SIGTERM stops everything it
 * started — the services first (@mail/launcher: they drain while NATS,
 * PostgreSQL and Redis are still there), then the infrastructure — and
 * exits 0; a second signal kills the rest at once. A failure (a child
 * ending unexpectedly, a start-up step going wrong) is reported once, with
 * the failing program's last lines, then everything is stopped and the exit
 * code is 1. If the launcher itself dies, its children are killed on the way out.
 */
import type { Platform } from '@mail/launcher';
import { describeExit, exitStatusOf } from './exit-status';
import { errorText, LaunchError } from './launch-error';
import { ProcessGroup } from './process-group';
import type { Terminal } from './terminal';

/** How many of a failed program's last lines are shown. */
const linesShown = 20;

/**
 * Signals this close to the first are the same request delivered twice
 * (`timeout` signals both the launcher and its process group), not a
 * person pressing Ctrl-C again.
 */
const repeatedSignalWindowMs = 500;

export class Lifecycle {
  readonly group: ProcessGroup;
  private services: Platform | undefined;
  private ending = false;
  private firstSignalAt: number | undefined;

  constructor(private readonly terminal: Terminal) {
    this.group = new ProcessGroup(terminal, (child, status) => this.fail(new LaunchError(`${child.name} ${describeExit(status)} unexpectedly`, { label: child.name, lines: child.recentLines() })));
  }

  /** Whether the launcher is on its way out. */
  get isEnding(): boolean {
    return this.ending;
  }

  /** Takes over SIGINT, SIGTERM, crashes and the final exit. */
  install(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => this.onSignal(signal));
    process.on('uncaughtException', (error) => this.fail(error));
    process.on('unhandledRejection', (reason) => this.fail(reason));
    process.on('exit', () => this.killAll());
    process.stdout.on('error', () => void this.end(1));
  }

  /** The services to stop before the infrastructure, from before the first one starts. */
  adopt(services: Platform): void {
    this.services = services;
  }

  /** Reports why the stack cannot run (once), stops everything and exits 1. */
  fail(error: unknown): void {
    if (this.ending) return;
    if (error instanceof LaunchError) {
      this.terminal.error(error.message);
      const output = error.output;
      if (output && output.lines.length === 0) this.terminal.error(`(${output.label} printed nothing)`);
      if (output && output.lines.length > 0) {
        this.terminal.error(`last lines of ${output.label}:`);
        for (const line of output.lines.slice(-linesShown)) this.terminal.childLine(output.label, line);
      }
    } else {
      this.terminal.error(`dev-stack failed: ${error instanceof Error && error.stack ? error.stack : errorText(error)}`);
    }
    void this.end(1);
  }

  /** Stops every child in order and exits with `code`. */
  async end(code: number): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    const stopped = (await this.stopServices()) + (await this.group.stopAll());
    if (stopped > 0) this.terminal.info(code === 0 ? 'all stopped' : 'all stopped after the failure above');
    process.exit(code);
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.firstSignalAt !== undefined && Date.now() - this.firstSignalAt < repeatedSignalWindowMs) return;
    this.firstSignalAt ??= Date.now();
    if (this.ending) {
      this.terminal.warn(`${signal} again: killing what is left`);
      this.killAll();
      process.exit(130);
    }
    this.terminal.info(`${signal}: stopping (press Ctrl-C again to kill at once)`);
    void this.end(0);
  }

  /** Drains every running service at once (SIGKILL after the deadline); resolves with how many were running. */
  private async stopServices(): Promise<number> {
    const running = this.services?.launched.filter((service) => service.running) ?? [];
    if (running.length === 0) return 0;
    this.terminal.info(`stopping ${running.map((service) => service.app).join(', ')}`);
    await this.services?.stopAll();
    for (const service of running) {
      const status = exitStatusOf(await service.exited);
      if (status.signal === 'SIGKILL') this.terminal.warn(`${service.app} did not stop in time and ${describeExit(status)}`);
    }
    return running.length;
  }

  private killAll(): void {
    this.services?.killAll();
    this.group.killAll();
  }
}
