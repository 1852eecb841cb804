/**
 * The unit per-IP limits count: an IPv4 address, or the /64 network of an
 * IPv6 address — one host or customer usually has a whole /64 (RFC 6177
 * §3, RFC 7934 §6), so counting single IPv6 addresses would let it open
 * 2^64 "clients".
 */
import { isIPv6 } from '@mail/smtp';
import { expandIPv6 } from '../dns/reverse-dns';

/** `192.0.2.1` → `192.0.2.1`; `2001:db8:1:2:a:b:c:d` → `2001:0db8:0001:0002::/64`. */
export function clientKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const groups = expandIPv6(ip);
  return groups === undefined ? ip : `${groups.slice(0, 4).join(':')}::/64`;
}
