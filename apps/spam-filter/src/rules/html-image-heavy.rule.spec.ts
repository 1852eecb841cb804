import { describe, expect, it } from 'vitest';
import { htmlHeaders, viewOf } from '../../test/content-rule-fixtures';
import rule from './html-image-heavy.rule';

describe(rule.name, () => {
  it('hits HTML that shows an image and a few words', async () => {
    expect(rule.test(await viewOf(htmlHeaders, '<html><body><a href="http://shop.example/"><img src="http://shop.example/offer.png"></a><p>Click here</p></body></html>\r\n'))).toBeTruthy();
  });

  it('misses HTML with images and a real text, and HTML without images', async () => {
    expect(rule.test(await viewOf(htmlHeaders, `<p>${'A long letter about the meeting. '.repeat(20)}</p><img src="cid:logo">\r\n`))).toBe(false);
    expect(rule.test(await viewOf(htmlHeaders, '<p>Short note.</p>\r\n'))).toBe(false);
  });
});
