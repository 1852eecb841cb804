import { describe, expect, it } from 'vitest';
import { htmlHeaders, viewOf } from '../../test/content-rule-fixtures';
import rule from './numeric-url.rule';

describe(rule.name, () => {
  it('hits a link to an IP address, in HTML or in text', async () => {
    expect(rule.test(await viewOf(htmlHeaders, '<a href="http://192.0.2.7/offer">offer</a>\r\n'))).toBeTruthy();
    expect(rule.test(await viewOf({}, 'See http://198.51.100.4:8080/x now\r\n'))).toBeTruthy();
  });

  it('misses links to names', async () => {
    expect(rule.test(await viewOf({}, 'See https://example.org/ and http://www.example.net/v1.2.3\r\n'))).toBe(false);
  });
});
