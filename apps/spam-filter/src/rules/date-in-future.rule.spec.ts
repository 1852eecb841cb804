import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './date-in-future.rule';

describe(rule.name, () => {
  it('hits a Date: two days after receipt', async () => {
    expect(rule.test(await viewOf({ Date: 'Thu, 19 Nov 2026 12:00:00 +0000' }))).toBeTruthy();
  });

  it('misses a Date: a few hours ahead (a clock or zone off) and a message with no known receipt time', async () => {
    expect(rule.test(await viewOf({ Date: 'Tue, 17 Nov 2026 20:00:00 +0000' }))).toBe(false);
    expect(rule.test(await viewOf({ Date: 'Thu, 19 Nov 2026 12:00:00 +0000' }, 'Hi.\r\n', {}))).toBe(false);
  });
});
