/**
 * Waiting until a service says it is ready: GET /readyz on its ops port
 * answers 200. Gives up at a deadline with the last answer and the
 * service's last lines, or quietly when the process has already ended
 * (its exit is reported on its own).
 */
import type { Child } from './child';
import { errorText, LaunchError } from './launch-error';
import { loopback } from './ports';

const pollIntervalMs = 250;
const requestTimeoutMs = 1_000;

/** The readiness URL of an ops endpoint. */
export function readinessUrl(httpPort: number): string {
  return `http://${loopback}:${httpPort}/readyz`;
}

/** Resolves when /readyz answers 200; throws a LaunchError at the deadline. */
export async function waitUntilReady(child: Child, httpPort: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = 'no answer yet';
  while (child.running) {
    try {
      const response = await fetch(readinessUrl(httpPort), { signal: AbortSignal.timeout(requestTimeoutMs) });
      if (response.status === 200) return;
      lastAnswer = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      lastAnswer = errorText(error);
    }
    if (Date.now() > deadline) {
      throw new LaunchError(`${child.name} was not ready after ${timeoutMs / 1000} s (last /readyz answer: ${lastAnswer})`, {
        label: child.name,
        lines: child.recentLines(),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
