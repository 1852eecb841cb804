import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './invalid-date.rule';

describe(rule.name, () => {
  it('hits a Date: that is no RFC 5322 date-time', async () => {
    expect(rule.test(await viewOf({ Date: '2026-11-17 10:00:00' }))).toBeTruthy();
  });

  it('misses RFC 5322 dates and their obsolete forms', async () => {
    expect(rule.test(await viewOf({ Date: 'Tue, 17 Nov 2026 10:00:00 +0000 (UTC)' }))).toBe(false);
    expect(rule.test(await viewOf({ Date: '17 Nov 02 10:00 EST' }))).toBe(false);
  });
});
