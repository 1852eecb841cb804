import { describe, expect, it } from 'vitest';
import { decodeCharacterReferences, htmlText } from './html-text';

describe('htmlText', () => {
  it('gives the words without markup, scripts, styles or comments, and the elements used', () => {
    const html =
      '<html><head><style>p { color: red }</style><script>var x = "<b>hidden</b>";</script></head><body><!-- a comment --><p>Claim your</p><table><tr><td>prize</td></tr></table><img src="x.gif"></body></html>';
    const { text, elements } = htmlText(html);
    expect(text.split(/\s+/).filter(Boolean)).toEqual(['Claim', 'your', 'prize']);
    expect(elements).toEqual(['html', 'head', 'style', 'script', 'body', 'p', 'table', 'tr', 'td', 'img']);
  });

  it('keeps a word split by inline elements whole and decodes character references', () => {
    expect(htmlText('<p>fr<b></b>ee &#x76;iagra &amp; m&#111;re&nbsp;now</p>').text.trim()).toBe('free viagra & more now');
  });

  it('ends at a tag, comment or script left open', () => {
    expect(htmlText('<p>shown</p><!-- never closed <p>hidden').text.trim()).toBe('shown');
    expect(htmlText('shown <script>hidden').text.trim()).toBe('shown');
    expect(htmlText('<a'.repeat(100_000)).text).toBe('');
    expect(htmlText('<script>'.repeat(30_000)).elements).toEqual(['script']);
  });

  it('decodes the named references of accented letters, in lower case', () => {
    expect(decodeCharacterReferences('ma&icirc;tre &Eacute;cole gar&ccedil;on Stra&szlig;e')).toBe('maître école garçon Straße');
  });

  it('turns invalid numeric references into spaces', () => {
    expect(decodeCharacterReferences('a&#0;b&#xD800;c&#x110000;d&bogus;e')).toBe('a b c d e');
  });
});
