/** Worker entry for worker-task.spec.ts: doubles a number, throws on request, or spins. */
export type SampleCall = { readonly op: 'double'; readonly value: number } | { readonly op: 'throw' } | { readonly op: 'spin' };

export default function sample(call: SampleCall): number {
  if (call.op === 'throw') throw new Error('asked to fail');
  if (call.op === 'spin') for (;;);
  return call.value * 2;
}
