import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './missing-from.rule';

describe(rule.name, () => {
  it('hits a message without From:', async () => {
    expect(rule.test(await viewOf({ From: undefined }))).toBeTruthy();
  });

  it('misses a message with one', async () => {
    expect(rule.test(await viewOf({}))).toBe(false);
  });
});
