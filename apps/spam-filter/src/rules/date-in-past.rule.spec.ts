import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './date-in-past.rule';

describe(rule.name, () => {
  it('hits a Date: a week before receipt', async () => {
    expect(rule.test(await viewOf({ Date: 'Tue, 10 Nov 2026 10:00:00 +0000' }))).toBeTruthy();
  });

  it('misses a Date: a day before receipt', async () => {
    expect(rule.test(await viewOf({ Date: 'Mon, 16 Nov 2026 10:00:00 +0000' }))).toBe(false);
    expect(rule.test(await viewOf({ Date: 'Tue, 10 Nov 2026 10:00:00 +0000', Received: 'from a by b; Tue, 10 Nov 2026 10:05:00 +0000' }, 'Hi.\r\n', {}))).toBe(false);
  });
});
