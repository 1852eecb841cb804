import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './date-wrong-weekday.rule';

describe(rule.name, () => {
  it('hits a Date: naming the wrong day of the week', async () => {
    expect(rule.test(await viewOf({ Date: 'Mon, 17 Nov 2026 10:00:00 +0000' }))).toBeTruthy();
  });

  it('misses the right day, and a date without one', async () => {
    expect(rule.test(await viewOf({ Date: 'Tue, 17 Nov 2026 23:30:00 -0500' }))).toBe(false);
    expect(rule.test(await viewOf({ Date: '17 Nov 2026 10:00:00 +0000' }))).toBe(false);
  });
});
