import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './url-shortener.rule';

describe(rule.name, () => {
  it('hits a link through a public shortener', async () => {
    expect(rule.test(await viewOf({}, 'Details: https://bit.ly/3abcXYZ\r\n'))).toBeTruthy();
  });

  it('misses ordinary links', async () => {
    expect(rule.test(await viewOf({}, 'Details: https://example.org/abc\r\n'))).toBe(false);
  });
});
