/** How a child process ended, and the words to say so. */

/** Exit code or signal of a child; `error` when it could not be started at all. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** "exited with code 1", "was killed by SIGKILL", "could not be started: spawn x ENOENT". */
export function describeExit(status: ExitStatus): string {
  if (status.error) return `could not be started: ${status.error.message}`;
  if (status.signal) return `was killed by ${status.signal}`;
  return `exited with code ${status.code ?? 'unknown'}`;
}

/** Whether a one-shot command did its job. */
export function succeeded(status: ExitStatus): boolean {
  return !status.error && status.signal === null && status.code === 0;
}
