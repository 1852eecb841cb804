/**
 * Hosts of the links a message carries, for the link rules: the authority
 * of an http(s) URL (RFC 3986 §3.2.2), in the HTML's hrefs and in the text.
 */
import { isIP } from 'node:net';

const urlInText = /\bhttps?:\/\/([^\s/?#"'<>()[\]\\]{1,300})/gi;
/** At most this many URLs are read from one text. */
const maxUrls = 500;

/** The host of an http(s) URL in lower case (IPv4 dotted quads kept as written), or undefined. */
export function urlHost(url: string): string | undefined {
  const authority = /^\s*https?:\/\/([^\s/?#"'<>\\]{1,300})/i.exec(url)?.[1];
  return authority === undefined ? undefined : authorityHost(authority);
}

function authorityHost(authority: string): string | undefined {
  const host = authority
    .replace(/^[^@]*@/, '')
    .replace(/:\d*$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return host === '' ? undefined : host;
}

/** Hosts of the http(s) URLs written in a text. */
export function textUrlHosts(text: string): string[] {
  const hosts: string[] = [];
  for (const match of text.matchAll(urlInText)) {
    const host = authorityHost(match[1] ?? '');
    if (host !== undefined) hosts.push(host);
    if (hosts.length >= maxUrls) break;
  }
  return hosts;
}

/** Whether the host is an IP address literal rather than a name (a dotted quad, or a bracketed IPv6 address). */
export function isAddressHost(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}
