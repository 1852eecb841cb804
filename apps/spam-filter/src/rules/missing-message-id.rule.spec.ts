import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './missing-message-id.rule';

describe(rule.name, () => {
  it('hits a message without Message-ID:', async () => {
    expect(rule.test(await viewOf({ 'Message-ID': undefined }))).toBeTruthy();
  });

  it('misses a message with one', async () => {
    expect(rule.test(await viewOf({}))).toBe(false);
  });
});
