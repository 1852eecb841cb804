import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './subject-all-caps.rule';

describe(rule.name, () => {
  it('hits a subject in capitals', async () => {
    expect(rule.test(await viewOf({ Subject: 'FREE MONEY FOR YOU NOW' }))).toBeTruthy();
  });

  it('misses ordinary subjects and short acronyms', async () => {
    expect(rule.test(await viewOf({ Subject: 'Notes from the NATO meeting' }))).toBe(false);
    expect(rule.test(await viewOf({ Subject: 'RE: FYI ASAP' }))).toBe(false);
  });
});
