/**
 * What the content rules read of an HTML part without a DOM: the text a
 * reader sees (tags, comments, styles and scripts removed, the common
 * entities decoded), the images, and the links with the text they show.
 * Regular expressions over at most maxHtml characters, each bounded so
 * that hostile markup cannot make them backtrack far.
 */

export interface HtmlLink {
  /** The href as written (entities decoded). */
  readonly href: string;
  /** The text the reader sees for it, whitespace collapsed. */
  readonly text: string;
}

/** At most this much HTML is read. */
const maxHtml = 256 * 1024;
/** At most this many links are read from one message. */
const maxLinks = 500;

const namedEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes numeric and the common named character references (HTML §13.5). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return namedEntities[entity.toLowerCase()] ?? whole;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Markup without what is never shown: comments, style and script elements, the head (what the functions below take). */
export function shownMarkup(html: string): string {
  return html
    .slice(0, maxHtml)
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(style|script|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
}

function textOf(markup: string): string {
  return decodeEntities(markup.replace(/<[^>]{0,2000}>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text a reader of the markup sees, whitespace collapsed. */
export function visibleText(shown: string): string {
  return textOf(shown);
}

/** `<img>` elements in the markup. */
export function imageCount(shown: string): number {
  return shown.match(/<img\b/gi)?.length ?? 0;
}

/** The `<a href>` links of the markup, with the text each shows. */
export function htmlLinks(shown: string): HtmlLink[] {
  const links: HtmlLink[] = [];
  const anchor = /<a\s[^>]{0,2000}?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]{0,2000}>([\s\S]{0,4000}?)<\/a\s*>/gi;
  for (const match of shown.matchAll(anchor)) {
    links.push({ href: decodeEntities((match[1] ?? match[2] ?? match[3] ?? '').trim()), text: textOf(match[4] ?? '') });
    if (links.length >= maxLinks) break;
  }
  return links;
}
