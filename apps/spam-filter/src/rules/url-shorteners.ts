/**
 * Hosts of public URL shorteners: a link through one hides where it leads
 * from the reader and from domain lists alike. Legitimate mail rarely needs
 * them (newsletters track through their own domains), spam uses them to
 * get past URIBLs.
 */
const shortenerHosts = new Set([
  'bit.ly',
  'bitly.com',
  'buff.ly',
  'cutt.ly',
  'goo.gl',
  'is.gd',
  'ow.ly',
  'rb.gy',
  'rebrand.ly',
  's.id',
  'shorturl.at',
  't.ly',
  'tiny.cc',
  'tinyurl.com',
  'v.gd',
  'x.co',
  'snip.ly',
  'shorte.st',
  'adf.ly',
  'bl.ink',
]);

/** Whether the host (lower case) is a public URL shortener's. */
export function isShortenerHost(host: string): boolean {
  return shortenerHosts.has(host.replace(/^www\./, ''));
}
