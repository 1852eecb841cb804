import { describe, expect, it } from 'vitest';
import { wantsNotice } from './notify-policy';

describe('wantsNotice (RFC 3461 §4.1)', () => {
  it('reports failures and delays, not success, when NOTIFY was not given', () => {
    expect(['failed', 'delayed', 'relayed'].map((a) => wantsNotice('s@x.test', undefined, a as never))).toEqual([true, true, false]);
  });

  it('reports exactly what NOTIFY names; NEVER silences everything', () => {
    expect(wantsNotice('s@x.test', { notify: ['SUCCESS'] }, 'relayed')).toBe(true);
    expect(wantsNotice('s@x.test', { notify: ['SUCCESS'] }, 'failed')).toBe(false);
    expect(wantsNotice('s@x.test', { notify: ['FAILURE', 'DELAY'] }, 'delayed')).toBe(true);
    expect(wantsNotice('s@x.test', { notify: ['NEVER'] }, 'failed')).toBe(false);
  });

  it('never notifies the null sender', () => {
    expect(wantsNotice('', { notify: ['FAILURE'] }, 'failed')).toBe(false);
  });
});
