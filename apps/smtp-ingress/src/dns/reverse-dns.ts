/**
 * The client's name for the Received: field: a PTR lookup of its address
 * (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa), trusted only when
 * forward-confirmed — the name's A/AAAA records include the address — so a
 * client cannot put any name it likes into our trace fields (the "iprev"
 * check of RFC 8601 §3). Bounded by a deadline; any failure gives
 * undefined ("unknown").
 */
import { isIPv4, isIPv6, isValidDomain } from '@mail/smtp';
import type { DnsResolver } from '@mail/dns';

/** Reverse lookups of client addresses. */
export interface ReverseDns {
  /** The verified host name of `ip`, or undefined. Never rejects. */
  lookup(ip: string): Promise<string | undefined>;
}

/** Expand an IPv6 address to its 8 groups of 4 hex digits (RFC 4291 §2.2), or undefined. */
export function expandIPv6(ip: string): string[] | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4 !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.padStart(4, '0'));
}

/** The PTR owner name of an address: `1.2.0.192.in-addr.arpa` or the 32-nibble ip6.arpa name. */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = expandIPv6(ip);
  if (groups === undefined) return undefined;
  return `${[...groups.join('')].reverse().join('.')}.ip6.arpa`;
}

/** Forward-confirmed reverse DNS over a DnsResolver. */
export class ForwardConfirmedReverseDns implements ReverseDns {
  constructor(
    private readonly resolver: DnsResolver,
    private readonly timeoutMs: number,
  ) {}

  lookup(ip: string): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.timeoutMs)));
    const lookup = this.#lookup(ip).catch(() => undefined);
    return Promise.race([lookup, deadline]).finally(() => clearTimeout(timer));
  }

  async #lookup(ip: string): Promise<string | undefined> {
    const name = reverseName(ip);
    if (name === undefined) return undefined;
    const ptr = await this.resolver.resolve(name, 'PTR');
    if (ptr.status !== 'ok') return undefined;
    const type = isIPv4(ip) ? 'A' : 'AAAA';
    const wanted = type === 'A' ? ip : expandIPv6(ip)?.join(':');
    // At most a few names: a PTR set is normally one record
    for (const record of ptr.records.slice(0, 3)) {
      // The name goes into a header: only a syntactically valid host name (RFC 5321 §4.1.2)
      if (!isValidDomain(record.target)) continue;
      const forward = await this.resolver.resolve(record.target, type);
      if (forward.status !== 'ok') continue;
      const addresses = forward.records.map((r) => (type === 'A' ? r.address : expandIPv6(r.address)?.join(':')));
      if (addresses.includes(wanted)) return record.target;
    }
    return undefined;
  }
}

/** No reverse lookups (no DNS server configured): every client is "unknown". */
export const noReverseDns: ReverseDns = { lookup: async () => undefined };
