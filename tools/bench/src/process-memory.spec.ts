import { describe, expect, it } from 'vitest';
import { parseProcStatus, parseSmapsRollup, processTree } from './process-memory';

describe('parseProcStatus', () => {
  it('reads VmRSS, RssAnon and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   80000 kB\nRssAnon:\t   28000 kB\nRssFile:\t   52000 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ rssBytes: 80000 * 1024, anonymousBytes: 28000 * 1024, hwmBytes: 81234 * 1024 });
  });

  it('gives NaN for a field the kernel did not write (a zombie has no VmRSS)', () => {
    expect(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\n').rssBytes).toBeNaN();
  });
});

describe('parseSmapsRollup', () => {
  it('reads Rss and Pss in bytes', () => {
    const rollup = '5569c7fe6000-7ffef5e44000 ---p 00000000 00:00 0                          [rollup]\nRss:                1748 kB\nPss:                 188 kB\nPss_Dirty:           112 kB\n';
    expect(parseSmapsRollup(rollup)).toEqual({ rssBytes: 1748 * 1024, pssBytes: 188 * 1024 });
  });
});

describe('processTree', () => {
  it('lists the root and every descendant, not its parent or siblings', () => {
    const parents = new Map([
      [1, 0],
      [10, 1],
      [11, 10],
      [12, 10],
      [13, 12],
      [20, 1],
    ]);
    expect(processTree(parents, 10).sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
    expect(processTree(parents, 13)).toEqual([13]);
  });
});
