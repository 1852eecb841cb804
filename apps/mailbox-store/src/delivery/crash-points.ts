/**
 * The steps of a delivery, announced on a diagnostics channel so that a test
 * can crash the process at each one and prove that a crash at every step —
 * mid-transaction, between commit and events, between events and ack —
 * still ends with each message stored exactly once.
 *
 * The service only announces; nothing here reads the environment. The
 * listener that kills the process is a test-only preload
 * (test/crash-points.preload.mjs, given to node with --import by the test
 * launcher when a test asks for it). Without a subscriber, which is every
 * production process, an announcement is one property check.
 *
 * That preload imports this file with Node's own type stripping: keep it
 * free of imports of other sources and of TypeScript that is not erasable.
 */
import { channel } from 'node:diagnostics_channel';

/** The steps, in the order a delivery passes them. */
export const deliverySteps = ['body-written', 'entries-written', 'committed', 'events-published'] as const;
export type DeliveryStep = (typeof deliverySteps)[number];

/** Called when a delivery reaches a step. */
export type StepHook = (step: DeliveryStep) => void;

/** The diagnostics channel (process-wide, by name) the steps are published on. */
export const deliveryStepChannel = 'mail.mailbox-store.delivery-step';

const steps = channel(deliveryStepChannel);

/** Announces a step to the channel's subscribers, if any. */
export const announceStep: StepHook = (step) => {
  if (steps.hasSubscribers) steps.publish(step);
};
