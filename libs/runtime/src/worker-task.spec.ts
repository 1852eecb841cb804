import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SampleCall } from './test-support/sample-worker';
import { WorkerTask, WorkerTaskError, WorkerTaskTimeoutError, workerEntryFile } from './worker-task';

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

describe('WorkerTask from a build', () => {
  it('runs x.mjs, compiled JavaScript loaded without tsx, when the named x.ts is not there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-task-'));
    try {
      await writeFile(join(dir, 'triple-worker.mjs'), 'export default (value) => value * 3;\n');
      const entry = pathToFileURL(join(dir, 'triple-worker.ts'));
      expect(workerEntryFile(entry).pathname).toBe(pathToFileURL(join(dir, 'triple-worker.mjs')).pathname);
      const task = new WorkerTask<number, number>(entry, { name: 'triple', timeoutMs: 2_000 });
      try {
        expect(await task.run(7)).toBe(21);
      } finally {
        await task.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names both files when neither the source nor its build exists', () => {
    expect(() => workerEntryFile(pathToFileURL('/nonexistent/gone-worker.ts'))).toThrow(/gone-worker\.ts is missing, and so is its build .*gone-worker\.mjs/);
  });
});
