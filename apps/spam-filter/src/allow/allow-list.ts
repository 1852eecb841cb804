/**
 * Allow-lists, which override every other rule ("avoid false positives at
 * all costs"): senders (SPAM_ALLOW_SENDERS: `user@domain` or `@domain`,
 * matching the envelope MAIL FROM or the From: header, case-insensitively)
 * and clients (SPAM_ALLOW_IPS: addresses or CIDR blocks, IPv4 and IPv6).
 *
 * A sender match is not trusted when authentication proves that address
 * forged: an envelope match whose SPF fails, a From: match whose DMARC
 * fails. Otherwise anyone could skip the filter by claiming a listed sender.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '@mail/config';

export interface AllowList {
  readonly senders: ReadonlySet<string>;
  readonly domains: ReadonlySet<string>;
  readonly ips: BlockList;
  readonly empty: boolean;
}

export interface AllowCandidate {
  readonly clientIp?: string;
  readonly mailFrom?: string;
  readonly headerFrom?: readonly string[];
  /** SPF failed for mailFrom (its match does not count). */
  readonly spfFailed?: boolean;
  /** DMARC failed for the From: domain (its matches do not count). */
  readonly dmarcFailed?: boolean;
}

export function parseAllowList(senders: readonly string[], ips: readonly string[]): AllowList {
  const addresses = new Set<string>();
  const domains = new Set<string>();
  for (const entry of senders.map((s) => s.toLowerCase())) {
    if (/^@[^\s@]+\.[^\s@]+$/.test(entry)) domains.add(entry.slice(1));
    else if (/^[^\s@]+@[^\s@]+$/.test(entry)) addresses.add(entry);
    else throw new ConfigError('SPAM_ALLOW_SENDERS', 'a list of user@domain or @domain', entry);
  }
  const blocks = new BlockList();
  for (const entry of ips) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= max))) {
      throw new ConfigError('SPAM_ALLOW_IPS', 'a list of IP addresses or CIDR blocks such as 192.0.2.0/24 or 2001:db8::/32', entry);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) blocks.addAddress(address, type);
    else blocks.addSubnet(address, bits, type);
  }
  return { senders: addresses, domains, ips: blocks, empty: addresses.size === 0 && domains.size === 0 && ips.length === 0 };
}

function senderListed(list: AllowList, address: string): boolean {
  const lower = address.toLowerCase();
  const at = lower.lastIndexOf('@');
  return list.senders.has(lower) || (at > 0 && list.domains.has(lower.slice(at + 1)));
}

/** Why the candidate is allow-listed, or undefined. */
export function allowListMatch(list: AllowList, candidate: AllowCandidate): string | undefined {
  if (list.empty) return undefined;
  const ip = candidate.clientIp === undefined ? undefined : (/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(candidate.clientIp)?.[1] ?? candidate.clientIp);
  const family = ip === undefined ? 0 : isIP(ip);
  if (ip !== undefined && family !== 0 && list.ips.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return `client ${ip} on SPAM_ALLOW_IPS`;
  if (candidate.mailFrom && !candidate.spfFailed && senderListed(list, candidate.mailFrom)) return `envelope sender ${candidate.mailFrom} on SPAM_ALLOW_SENDERS`;
  const from = candidate.dmarcFailed ? undefined : candidate.headerFrom?.find((address) => senderListed(list, address));
  return from === undefined ? undefined : `From: ${from} on SPAM_ALLOW_SENDERS`;
}
