/**
 * The network a login attempt comes from, as counted by the brute-force
 * limits: the IPv4 address, or the /64 prefix of an IPv6 address — one
 * IPv6 host usually has a whole /64 (RFC 4291 §2.5.4, RFC 7421), so counting
 * single addresses would let it rotate through billions of them.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** `203.0.113.7`, `2001:db8:0:1::/64`; IPv4-mapped IPv6 counts as IPv4; anything else is returned as is. */
export function clientNetwork(remoteAddress: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIPv4(remoteAddress) || !isIPv6(remoteAddress)) return remoteAddress;
  return `${expandIPv6(remoteAddress).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => (group.includes('.') ? group : Number.parseInt(group, 16).toString(16)));
}
