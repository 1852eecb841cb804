import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './subject-exclamations.rule';

describe(rule.name, () => {
  it('hits three exclamation marks', async () => {
    expect(rule.test(await viewOf({ Subject: 'Win big! Today! Now!' }))).toBeTruthy();
  });

  it('misses one or two', async () => {
    expect(rule.test(await viewOf({ Subject: 'We won!!' }))).toBe(false);
  });
});
