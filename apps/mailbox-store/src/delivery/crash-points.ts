/**
 * Crash points of a delivery, for tests only: with MAILBOX_STORE_CRASH_AT
 * set to a step, the process kills itself (SIGKILL, no clean-up) the first
 * time a delivery reaches that step, so a test can prove that a crash at
 * every step — mid-transaction, between commit and events, between events
 * and ack — still ends with each message stored exactly once.
 */

/** The steps, in the order a delivery passes them. */
export const deliverySteps = ['body-written', 'entries-written', 'committed', 'events-published'] as const;
export type DeliveryStep = (typeof deliverySteps)[number];

/** Called when a delivery reaches a step. */
export type StepHook = (step: DeliveryStep) => void;

/** A hook that does nothing, or kills the process at `step`. */
export function crashAt(step: DeliveryStep | 'none'): StepHook {
  if (step === 'none') return () => undefined;
  return (reached) => {
    if (reached === step) process.kill(process.pid, 'SIGKILL');
  };
}
