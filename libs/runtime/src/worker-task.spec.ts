import { afterAll, describe, expect, it } from 'vitest';
import type { SampleCall } from './test-support/sample-worker';
import { WorkerTask, WorkerTaskError, WorkerTaskTimeoutError } from './worker-task';

describe('WorkerTask', () => {
  const task = new WorkerTask<SampleCall, number>(new URL('./test-support/sample-worker.ts', import.meta.url), { name: 'sample', timeoutMs: 500 });
  afterAll(() => task.close());

  it('runs the function in a worker thread', async () => {
    expect(await task.run({ op: 'double', value: 21 })).toBe(42);
  });

  it('rejects with the error the function threw, and keeps serving', async () => {
    await expect(task.run({ op: 'throw' })).rejects.toThrow(WorkerTaskError);
    expect(await task.run({ op: 'double', value: 2 })).toBe(4);
  });

  it('terminates a call that overruns its deadline without blocking this thread, then serves the next with a fresh worker', async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    await expect(task.run({ op: 'spin' }, 300)).rejects.toThrow(WorkerTaskTimeoutError);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(5);
    expect(await task.run({ op: 'double', value: 5 })).toBe(10);
  });
});
