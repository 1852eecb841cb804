/**
 * The DNS the bench's inbound mail is checked against, the same for the
 * platform's dns2 server and for the one the reference rspamd asks, so
 * both do the same lookups: the senders' domain (source.test) publishes
 * SPF (RFC 7208) and DMARC (RFC 7489 §6.1) records and has an address and
 * an MX, the client's HELO name resolves, and one DNSBL zone holds only its
 * RFC 5782 §5 test entry (127.0.0.2), so the client, 127.0.0.1, is looked up
 * and not listed. Declared zones give negative answers an SOA (RFC 2308).
 */
import type { DnsServerFixture } from '@mail/testing';

/** The DNSBL zone, checked by our spam-filter (DNSBL_ZONES) and by rspamd's rbl module alike. */
export const benchDnsblZone = 'dnsbl.bench.test';
/** Domain of every sender of the inbound scenarios. */
export const senderDomain = 'source.test';
/** The HELO name of the load generators (smtp-source -M, the built-in client). */
export const clientHeloName = 'bench.client.test';

export function addSenderDns(dns: DnsServerFixture): void {
  dns.zone(senderDomain, 300);
  dns.add(senderDomain, { type: 'TXT', text: 'v=spf1 ip4:127.0.0.0/8 -all' }, { type: 'A', address: '127.0.0.1' }, { type: 'MX', preference: 10, exchange: `mx.${senderDomain}` });
  dns.add(`mx.${senderDomain}`, { type: 'A', address: '127.0.0.1' });
  dns.add(`_dmarc.${senderDomain}`, { type: 'TXT', text: 'v=DMARC1; p=none' });
  dns.add(clientHeloName, { type: 'A', address: '127.0.0.1' });
  dns.listDnsbl(benchDnsblZone, '127.0.0.2');
}
