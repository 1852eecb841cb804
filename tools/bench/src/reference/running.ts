/** The private reference servers running right now, so an interrupted run (Ctrl-C) can still stop them. */

export interface Stoppable {
  stop(): Promise<void>;
}

const running = new Set<Stoppable>();

/** Remembers a started instance until `stopTracked` stops it. */
export function track<T extends Stoppable>(instance: T): T {
  running.add(instance);
  return instance;
}

/** Stops an instance and forgets it; nothing for undefined. */
export async function stopTracked(instance: Stoppable | undefined): Promise<void> {
  if (!instance) return;
  running.delete(instance);
  await instance.stop();
}

/** Stops every private Postfix, Dovecot, rspamd and Redis still running. */
export async function stopRunningReferences(): Promise<void> {
  await Promise.allSettled([...running].map((instance) => stopTracked(instance)));
}
