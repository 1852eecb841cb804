import { describe, expect, it } from 'vitest';
import { describeExit, exitStatusOf, succeeded } from './exit-status';

describe('describeExit', () => {
  it('names the code, the signal or the spawn error', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('exited with code 1');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('was killed by SIGKILL');
    expect(describeExit({ code: null, signal: null, error: new Error('spawn x ENOENT') })).toBe('could not be started: spawn x ENOENT');
  });
});

describe('succeeded', () => {
  it('is true only for exit code 0', () => {
    expect(succeeded({ code: 0, signal: null })).toBe(true);
    expect(succeeded({ code: 2, signal: null })).toBe(false);
    expect(succeeded({ code: null, signal: 'SIGTERM' })).toBe(false);
  });
});

describe('exitStatusOf', () => {
  it('reads the launcher’s exit code or signal name', () => {
    expect(describeExit(exitStatusOf(1))).toBe('exited with code 1');
    expect(describeExit(exitStatusOf('SIGKILL'))).toBe('was killed by SIGKILL');
  });
});
