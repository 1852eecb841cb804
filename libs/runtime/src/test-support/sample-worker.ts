/** Worker entry for worker-task.spec.ts: doubles a number, throws on request, or spins. */
import { serveWorkerTask } from '../worker-task';

export type SampleCall = { readonly op: 'double'; readonly value: number } | { readonly op: 'throw' } | { readonly op: 'spin' };

serveWorkerTask((call: SampleCall) => {
  if (call.op === 'throw') throw new Error('asked to fail');
  if (call.op === 'spin') for (;;);
  return call.value * 2;
});
