import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlLinks, imageCount, shownMarkup, visibleText } from './html-reading';

describe('html reading', () => {
  const html =
    '<html><head><title>T</title><style>p{}</style></head><body><!-- hidden --><p>Hello&nbsp;&amp; <b>welcome</b></p><img src="a.png"><a href="https://x.example/?a=1&amp;b=2">Go <i>there</i></a></body></html>';

  it('sees the text a reader sees', () => {
    expect(visibleText(shownMarkup(html))).toBe('Hello & welcome Go there');
  });

  it('counts images and reads links with their text', () => {
    expect(imageCount(shownMarkup(html))).toBe(1);
    expect(htmlLinks(shownMarkup(html))).toEqual([{ href: 'https://x.example/?a=1&b=2', text: 'Go there' }]);
  });

  it('decodes numeric and common named references, leaving unknown ones', () => {
    expect(decodeEntities('&#72;&#x49; &lt;&unknown;')).toBe('HI <&unknown;');
  });
});
