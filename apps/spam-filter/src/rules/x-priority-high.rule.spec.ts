import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './x-priority-high.rule';

describe(rule.name, () => {
  it('hits X-Priority: 1', async () => {
    expect(rule.test(await viewOf({ 'X-Priority': '1 (Highest)' }))).toBeTruthy();
  });

  it('misses normal priority', async () => {
    expect(rule.test(await viewOf({ 'X-Priority': '3 (Normal)' }))).toBe(false);
  });
});
