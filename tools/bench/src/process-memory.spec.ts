import { describe, expect, it } from 'vitest';
import { parseProcStatus } from './process-memory';

describe('parseProcStatus', () => {
  it('reads VmRSS, RssAnon and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   80000 kB\nRssAnon:\t   28000 kB\nRssFile:\t   52000 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ rssBytes: 80000 * 1024, anonymousBytes: 28000 * 1024, hwmBytes: 81234 * 1024 });
  });

  it('gives NaN for a field the kernel did not write (a zombie has no VmRSS)', () => {
    expect(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\n').rssBytes).toBeNaN();
  });
});
