/** Signals that ask a service to drain and exit (SIGTERM from Kubernetes, SIGINT from Ctrl-C). */
export const shutdownSignals = ['SIGTERM', 'SIGINT'] as const;

/** Run `drain` once on the first shutdown signal; a second signal exits at once. */
export function onShutdownSignal(drain: (signal: string) => Promise<void>): void {
  let draining = false;
  for (const signal of shutdownSignals) {
    process.on(signal, () => {
      if (draining) process.exit(130);
      draining = true;
      drain(signal).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
