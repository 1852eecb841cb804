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

/** The status of a service process as @mail/launcher reports its end: an exit code, or the signal's name. */
export function exitStatusOf(how: number | string): ExitStatus {
  return typeof how === 'number' ? { code: how, signal: null } : { code: null, signal: how as NodeJS.Signals };
}

/** Whether a one-shot command did its job. */
export function succeeded(status: ExitStatus): boolean {
  return !status.error && status.signal === null && status.code === 0;
}
