/**
 * The words of an HTML part, for the classifier and the search index: markup dropped, the
 * content of script and style elements and comments dropped, character
 * references decoded (HTML Living Standard §13.1.4: spam hides words as
 * `&#102;ree`), and the names of the elements used, which say something of
 * their own (`font`, `table`, `img`, `form`). Not a renderer: mailparser's
 * html-to-text lays text out as a reader would see it and cost about 1.6 ms
 * per HTML message of the SpamAssassin corpus, against well under 0.1 ms
 * here. One pass, linear in the input (every search moves forward and a
 * tag or comment left open ends the text), over at most `maxHtml` chars.
 */

export interface HtmlText {
  readonly text: string;
  /** Lower-case names of the elements opened, each once, in order of appearance. */
  readonly elements: readonly string[];
}

const maxHtml = 256 * 1024;
/** Elements inside a word: `fr<b></b>ee` is one word to a reader, so no space is put for them. */
const inline = new Set(['a', 'abbr', 'b', 'big', 'em', 'font', 'i', 'small', 'span', 'strong', 'sub', 'sup', 'u']);
const maxElements = 100;

/** HTML 4 names of U+00E0-U+00FF in order (the upper-case letters' names differ only in case, and names are looked up lower-cased). */
const latin1Letters =
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const named: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  szlig: 'ß',
  times: '×',
  oelig: 'œ',
  // letters of Western European languages, which HTML mail often writes as references (ma&icirc;tre)
  ...Object.fromEntries(latin1Letters.split(' ').map((name, i) => [name, String.fromCharCode(0xe0 + i)])),
};

/** Decodes numeric and common named character references (accented letters lower-cased); an unknown name becomes a space. */
export function decodeCharacterReferences(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});?/g, (_, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : ' ';
    }
    return named[ref.toLowerCase()] ?? ' ';
  });
}

export function htmlText(html: string): HtmlText {
  const source = html.length > maxHtml ? html.slice(0, maxHtml) : html;
  const lower = source.toLowerCase();
  const parts: string[] = [];
  const elements = new Set<string>();
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('<', at);
    if (open < 0) {
      parts.push(source.slice(at));
      break;
    }
    parts.push(source.slice(at, open));
    if (lower.startsWith('<!--', open)) {
      const end = lower.indexOf('-->', open + 4);
      if (end < 0) break;
      at = end + 3;
      continue;
    }
    const close = source.indexOf('>', open + 1);
    if (close < 0) break;
    const name = /^<\/?([a-z][a-z0-9]{0,15})/.exec(lower.slice(open, Math.min(close, open + 19)))?.[1];
    const closing = lower[open + 1] === '/';
    at = close + 1;
    if (name === undefined) {
      parts.push(' ');
      continue;
    }
    if (closing) {
      if (!inline.has(name)) parts.push(' ');
      continue;
    }
    if (elements.size < maxElements) elements.add(name);
    if (name === 'script' || name === 'style') {
      const end = lower.indexOf(`</${name}`, at);
      if (end < 0) break;
      at = end;
    }
    if (!inline.has(name)) parts.push(' ');
  }
  return { text: decodeCharacterReferences(parts.join('')), elements: [...elements] };
}
