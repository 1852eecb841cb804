import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './missing-date.rule';

describe(rule.name, () => {
  it('hits a message without Date:', async () => {
    expect(rule.test(await viewOf({ Date: undefined }))).toBeTruthy();
  });

  it('misses a message with one', async () => {
    expect(rule.test(await viewOf({}))).toBe(false);
  });
});
