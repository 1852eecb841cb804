import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './body-exclamations.rule';

describe(rule.name, () => {
  it('hits text with four runs of exclamation marks', async () => {
    expect(rule.test(await viewOf({}, 'Act now!!! Free!!! Win!!! Today!!!\r\n'))).toBeTruthy();
  });

  it('misses text with an exclamation or two', async () => {
    expect(rule.test(await viewOf({}, 'Great news! We won!! See you there!!!\r\n'))).toBe(false);
  });
});
