import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './empty-subject.rule';

describe(rule.name, () => {
  it('hits a missing or blank subject', async () => {
    expect(rule.test(await viewOf({ Subject: undefined }))).toBeTruthy();
    expect(rule.test(await viewOf({ Subject: '   ' }))).toBeTruthy();
  });

  it('misses a subject', async () => {
    expect(rule.test(await viewOf({}))).toBe(false);
  });
});
