import { describe, expect, it } from 'vitest';
import { alternative, htmlHeaders, multipartHeaders, viewOf } from '../../test/content-rule-fixtures';
import rule from './html-only.rule';

describe(rule.name, () => {
  it('hits a message whose only text is HTML', async () => {
    expect(rule.test(await viewOf(htmlHeaders, '<p>Hello</p>\r\n'))).toBeTruthy();
  });

  it('misses multipart/alternative with a text part, and plain text', async () => {
    expect(rule.test(await viewOf(multipartHeaders(), alternative('Hello', '<p>Hello</p>')))).toBe(false);
    expect(rule.test(await viewOf({}))).toBe(false);
  });
});
