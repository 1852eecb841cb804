/**
 * The domains a message links to, found conservatively (a false listing
 * costs a legitimate sender dearly): hosts of http(s) URLs (RFC 3986 §3.2.2)
 * in the text and the HTML, `www.` names, and bare names under a short list
 * of common top-level domains — never file names, addresses or version
 * numbers. Each is reduced to its registered domain.
 */
import { isIP } from 'node:net';
import { registeredDomain } from './registered-domain';

const urlPattern = /\bhttps?:\/\/([^\s/?#"'<>()[\]\\]+)/gi;
const wwwPattern = /(?<![\w.@-])www\.((?:[a-z0-9-]+\.)+[a-z]{2,24})(?![\w@-]|\.[a-z0-9])/gi;
const bareTlds = 'com|net|org|info|biz|io|co|us|uk|de|ru|cn|top|xyz|online|site|club|shop|store|live|click|link|icu|buzz|app|win|bid|loan|work|fun|space';
const barePattern = new RegExp(`(?<![\\w.@/-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:${bareTlds}))(?![\\w@-]|\\.[a-z0-9])`, 'gi');

/** At most this many hosts are read from one message. */
const maxHosts = 500;

/** The host of a URL authority (`user@host:port`), in ASCII (RFC 5891 A-labels); undefined for IP literals. */
function hostOf(authority: string): string | undefined {
  try {
    const host = new URL(`http://${authority}`).hostname;
    return host === '' || host.startsWith('[') || isIP(host) !== 0 ? undefined : host;
  } catch {
    return undefined;
  }
}

/** Registered domains linked from `text` (plain text) and `html` (markup), distinct, in order of appearance. */
export function linkDomains(text: string, html = ''): string[] {
  const hosts: string[] = [];
  for (const source of [text, html]) {
    for (const match of source.matchAll(urlPattern)) {
      const host = hostOf(match[1] ?? '');
      if (host) hosts.push(host);
      if (hosts.length >= maxHosts) break;
    }
  }
  for (const match of text.matchAll(wwwPattern)) hosts.push(match[1] ?? '');
  for (const match of text.replace(urlPattern, ' ').matchAll(barePattern)) hosts.push(match[1] ?? '');
  const domains = new Set<string>();
  for (const host of hosts.slice(0, maxHosts)) {
    const domain = registeredDomain(host);
    if (domain) domains.add(domain);
  }
  return [...domains];
}
