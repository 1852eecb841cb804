/**
 * Test-only preload (never part of a build or an image): the test launcher
 * gives it to node with --import when a test asks for crash points. With
 * MAILBOX_STORE_CRASH_AT set to a delivery step, the process kills itself
 * (SIGKILL, no clean-up) the first time a delivery reaches that step, as
 * announced on the channel of src/delivery/crash-points.ts (the service's
 * bundle and this file share it by name). Node strips the types of
 * crash-points.ts when this imports it.
 */
import { subscribe } from 'node:diagnostics_channel';
import { deliveryStepChannel, deliverySteps } from '../src/delivery/crash-points.ts';

const crashAt = process.env.MAILBOX_STORE_CRASH_AT;
if (!deliverySteps.includes(crashAt)) {
  throw new Error(`MAILBOX_STORE_CRASH_AT must be one of ${deliverySteps.join(', ')} with ${import.meta.filename} preloaded; got ${crashAt ?? 'nothing'}`);
}
process.stderr.write(`MAILBOX_STORE_CRASH_AT=${crashAt}: this process kills itself when a delivery reaches that step (testing only)\n`);
subscribe(deliveryStepChannel, (step) => {
  if (step === crashAt) process.kill(process.pid, 'SIGKILL');
});
