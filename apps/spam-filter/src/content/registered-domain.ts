/**
 * The registered domain of a host name, simply: the last two labels, or
 * the last three under a well-known two-level public suffix (co.uk,
 * com.au, ...). Not the Public Suffix List — domain lists (RFC 5782 §2.3)
 * list registered domains, and a wrong guess only costs one query that
 * answers "not listed".
 */

/** Two-level public suffixes common in mail; a name under one keeps three labels. */
const twoLevelSuffixes = new Set([
  'ac.uk', 'co.uk', 'gov.uk', 'ltd.uk', 'me.uk', 'net.uk', 'org.uk', 'plc.uk', 'sch.uk',
  'asn.au', 'com.au', 'edu.au', 'gov.au', 'id.au', 'net.au', 'org.au',
  'co.nz', 'net.nz', 'org.nz', 'ac.nz', 'govt.nz',
  'ac.jp', 'co.jp', 'ed.jp', 'go.jp', 'ne.jp', 'or.jp',
  'co.kr', 'or.kr', 'ac.kr', 'co.in', 'net.in', 'org.in', 'ac.in', 'gov.in', 'firm.in',
  'co.za', 'org.za', 'ac.za', 'gov.za', 'web.za',
  'com.br', 'net.br', 'org.br', 'gov.br', 'com.ar', 'com.mx', 'org.mx', 'com.co', 'com.pe', 'com.ve',
  'com.cn', 'net.cn', 'org.cn', 'gov.cn', 'edu.cn', 'com.hk', 'org.hk', 'net.hk', 'com.tw', 'org.tw', 'net.tw',
  'com.sg', 'edu.sg', 'com.my', 'com.ph', 'co.id', 'or.id', 'co.th', 'in.th', 'com.vn', 'com.pk', 'com.bd',
  'com.tr', 'org.tr', 'net.tr', 'gen.tr', 'co.il', 'org.il', 'ac.il', 'com.sa', 'com.eg', 'co.ke', 'com.ng',
  'com.ua', 'org.ua', 'net.ua', 'com.ru', 'org.ru', 'net.ru', 'msk.ru', 'spb.ru', 'com.pl', 'net.pl', 'org.pl',
  'co.at', 'or.at', 'com.es', 'org.es', 'com.gr', 'com.pt', 'com.ro', 'co.hu', 'co.it',
]);

/** Lower case, no trailing dot; undefined when the name has fewer than two labels or an invalid label. */
export function registeredDomain(host: string): string | undefined {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length < 2 || labels.some((label) => !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) return undefined;
  // RFC 3696 §2: a top-level domain is never all-numeric (that would be an IPv4 address).
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  const lastTwo = labels.slice(-2).join('.');
  if (twoLevelSuffixes.has(lastTwo)) return labels.length >= 3 ? labels.slice(-3).join('.') : undefined;
  return lastTwo;
}
