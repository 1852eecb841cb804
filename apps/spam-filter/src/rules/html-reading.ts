/**
 * What the content rules read of an HTML part without a DOM: the text a
 * reader sees (tags, comments, styles, scripts and the title removed, the common
 * entities decoded), the images, and the links with the text they show.
 * Every scan is linear in the markup, whatever it holds: the ends of
 * comments, hidden elements and links are found with indexOf from where
 * the last search stopped (an unclosed `<!--` or `<a` repeated thousands
 * of times costs one pass, not one pass each), and at most maxHtml
 * characters are read.
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
/** Link text longer than this is not read (an anchor around a whole section shows no address). */
const maxLinkText = 4000;
/** A start tag longer than this is not read for its attributes. */
const maxTag = 2000;

const namedEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes numeric and the common named character references (HTML §13.5). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return namedEntities[entity.toLowerCase()] ?? whole;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Elements whose content is never shown in a message: raw text (style, script) and the title (HTML §13.1.2); an unclosed one runs to the end. */
const hiddenElement = /<(style|script|title)\b/g;

/** The next hidden element's start at or after `from` in lower-case markup, or undefined. */
function nextHiddenElement(lower: string, from: number): { index: number; name: string } | undefined {
  hiddenElement.lastIndex = from;
  const match = hiddenElement.exec(lower);
  return match ? { index: match.index, name: match[1] ?? '' } : undefined;
}

/**
 * Markup without what is never shown: comments, style, script and title
 * elements (an unclosed element hides the rest, as in a browser; an
 * unclosed comment only its opener). What the
 * functions below take. Each search starts where the last one stopped, and
 * a next comment or element found beyond the current place is remembered.
 */
export function shownMarkup(html: string): string {
  const markup = html.slice(0, maxHtml);
  const lower = markup.toLowerCase();
  const kept: string[] = [];
  let at = 0;
  let comment = lower.indexOf('<!--');
  let element = nextHiddenElement(lower, 0);
  let commentsEnd = true;
  for (;;) {
    if (comment !== -1 && comment < at) comment = lower.indexOf('<!--', at);
    if (element !== undefined && element.index < at) element = nextHiddenElement(lower, at);
    if (comment === -1 && element === undefined) break;
    const isComment = element === undefined || (comment !== -1 && comment < element.index);
    const start = isComment ? comment : (element?.index ?? 0);
    kept.push(markup.slice(at, start), ' ');
    if (isComment) {
      // An unclosed comment (ratware writes `<!--#rotate>`) hides only its opener: what follows is read, as lenient readers do.
      const end: number = commentsEnd ? lower.indexOf('-->', start + 4) : -1;
      commentsEnd = end !== -1;
      at = end === -1 ? start + 4 : end + 3;
      continue;
    }
    const end = lower.indexOf(`</${element?.name ?? ''}`, start + 1);
    const close = end === -1 ? -1 : lower.indexOf('>', end);
    if (close === -1) return kept.join('');
    at = close + 1;
  }
  kept.push(markup.slice(at));
  return kept.join('');
}

function textOf(markup: string): string {
  // `[^<>]`: a scan from one `<` stops at the next, so the whole pass stays linear.
  return decodeEntities(markup.replace(/<[^<>]{0,2000}>/g, ' '))
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
  const lower = shown.toLowerCase();
  const links: HtmlLink[] = [];
  let tagEnd = -1;
  let closing = -1;
  for (let at = lower.indexOf('<a'); at !== -1 && links.length < maxLinks; at = lower.indexOf('<a', at + 2)) {
    if (!/\s/.test(lower[at + 2] ?? '')) continue;
    if (tagEnd < at) tagEnd = lower.indexOf('>', at);
    if (tagEnd === -1) break;
    if (tagEnd - at > maxTag) continue;
    const href = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(shown.slice(at, tagEnd));
    if (href === null) continue;
    if (closing < tagEnd) closing = lower.indexOf('</a', tagEnd);
    if (closing === -1) break;
    const text = closing - tagEnd > maxLinkText ? '' : textOf(shown.slice(tagEnd + 1, closing));
    links.push({ href: decodeEntities((href[1] ?? href[2] ?? href[3] ?? '').trim()), text });
  }
  return links;
}
