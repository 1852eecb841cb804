import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { nodeRuntime, startupHeldCompilers } from '@mail/service-catalog';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { heldCompilers, resumeCompilers, resumeCompilersWhenBusy } from './startup-compilers';

const child = fileURLToPath(new URL('./test-support/hot-after-resume.ts', import.meta.url));
const heldFlags = startupHeldCompilers.map((name) => `--no-${name}`);

describe('heldCompilers and resumeCompilers', () => {
  it('name the compilers the command line held, and only those', () => {
    expect(heldCompilers(['--enable-source-maps', '--no-maglev', '--no-turbofan'])).toEqual(['maglev', 'turbofan']);
    expect(heldCompilers(['--no-turbofan'])).toEqual(['turbofan']);
    expect(heldCompilers(['--enable-source-maps'])).toEqual([]);
    const set: string[] = [];
    resumeCompilers(['maglev', 'turbofan'], (flags) => set.push(flags));
    expect(set).toEqual(['--maglev', '--turbofan']);
  });

  it('are given the flags nodeRuntime starts every service with', () => {
    for (const flag of heldFlags) expect(nodeRuntime.flags).toContain(flag);
  });

  it('let V8 optimise hot functions again, which it did not while they were held', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', ...heldFlags, '--trace-opt', child], { maxBuffer: 16 * 1024 * 1024 });
    const [before, after] = stdout.split('resumed: maglev,turbofan\n');
    expect(after, 'the resume line').toBeDefined();
    expect(before).not.toMatch(/for optimization to/);
    expect(after).toMatch(/for optimization to (MAGLEV|TURBOFAN)/);
  }, 60_000);
});

describe('resumeCompilersWhenBusy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A process whose CPU clock the test advances, watched with a 1 s interval, a 10 s window and 5 % (500 ms of CPU in the window). */
  const watched = (execArgv: readonly string[] = heldFlags) => {
    const cpu = { micros: 0 };
    const set: string[] = [];
    const resumed: { names: readonly string[]; cpuMs: number }[] = [];
    const resume = resumeCompilersWhenBusy({
      execArgv,
      setFlags: (flags) => set.push(flags),
      cpuMicros: () => cpu.micros,
      onResume: (names, cpuMs) => resumed.push({ names, cpuMs }),
      intervalMs: 1_000,
      windowMs: 10_000,
      busyShare: 0.05,
    });
    /** One second passes in which the process used `cpuMs` of CPU. */
    const second = (cpuMs: number) => {
      cpu.micros += cpuMs * 1_000;
      vi.advanceTimersByTime(1_000);
    };
    return { resume, set, resumed, second };
  };

  it('keeps the compilers held while the process idles, background work included', () => {
    const { resume, set, second } = watched();
    for (let i = 0; i < 600; i++) second(i % 30 === 0 ? 60 : 2); // ten minutes: a probe's few ms each second, a 60 ms burst every 30 s
    expect(set).toEqual([]);
    expect(resume.held).toEqual(['maglev', 'turbofan']);
    resume.stop();
  });

  it('turns them on within a second of full load, once', () => {
    const { resume, set, resumed, second } = watched();
    second(3);
    second(900);
    expect(set).toEqual(['--maglev', '--turbofan']);
    expect(resumed).toEqual([{ names: ['maglev', 'turbofan'], cpuMs: 903 }]);
    expect(resume.held).toEqual([]);
    for (let i = 0; i < 20; i++) second(900);
    expect(resumed).toHaveLength(1);
  });

  it('turns them on under a light steady load once the window holds more than the share', () => {
    const { set, second } = watched();
    for (let i = 0; i < 9; i++) second(55); // 495 ms in nine seconds
    expect(set).toEqual([]);
    second(55);
    expect(set).toEqual(['--maglev', '--turbofan']);
  });

  it('watches nothing in a process whose command line held no compiler', () => {
    const { resume, set, second } = watched(['--enable-source-maps']);
    expect(resume.held).toEqual([]);
    second(1_000);
    expect(set).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops watching when stopped', () => {
    const { resume, set, second } = watched();
    resume.stop();
    second(1_000);
    expect(set).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
