/** Waiting for a server the launcher started to answer its protocol, with a deadline. */
import type { Child } from '../child';
import { describeExit } from '../exit-status';
import { LaunchError } from '../launch-error';
import type { ProbeResult } from './infrastructure';

const pollIntervalMs = 200;

/**
 * Probes until the server answers. Fails with the server's own output when
 * it exits first or the deadline passes.
 */
export async function waitForServer(child: Child, probe: () => Promise<ProbeResult>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedStatus: string | undefined;
  void child.exited.then((status) => (exitedStatus = describeExit(status)));
  for (;;) {
    if (exitedStatus !== undefined) throw new LaunchError(`${child.name} ${exitedStatus} during start-up`, { label: child.name, lines: child.recentLines() });
    const result = await probe();
    if (result.ok) return;
    if (Date.now() > deadline) {
      throw new LaunchError(`${child.name} did not answer within ${timeoutMs / 1000} s (${result.reason})`, {
        label: child.name,
        lines: child.recentLines(),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
