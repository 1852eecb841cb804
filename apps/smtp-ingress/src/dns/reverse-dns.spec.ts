// Tests of reverse-dns.ts: reverse names and forward confirmation.
import { FakeResolver } from '@mail/dns/testing';
import { describe, expect, it } from 'vitest';
import { ForwardConfirmedReverseDns, expandIPv6, reverseName } from './reverse-dns';

describe('reverseName', () => {
  it('builds in-addr.arpa and ip6.arpa names (RFC 1035 §3.5, RFC 3596 §2.5)', () => {
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(reverseName('not an ip')).toBeUndefined();
  });

  it('expands IPv6 forms, including an IPv4 tail', () => {
    expect(expandIPv6('::1')).toEqual(['0000', '0000', '0000', '0000', '0000', '0000', '0000', '0001']);
    expect(expandIPv6('::ffff:192.0.2.1')?.slice(5)).toEqual(['ffff', 'c000', '0201']);
  });
});

describe('ForwardConfirmedReverseDns', () => {
  it('trusts a PTR name only when it resolves back to the address', async () => {
    const dns = new FakeResolver()
      .records('1.2.0.192.in-addr.arpa', 'PTR', { target: 'client.example.test' })
      .records('client.example.test', 'A', { address: '192.0.2.1' })
      .records('2.2.0.192.in-addr.arpa', 'PTR', { target: 'liar.example.test' })
      .records('liar.example.test', 'A', { address: '198.51.100.7' })
      .records('3.2.0.192.in-addr.arpa', 'PTR', { target: 'bad(name' });
    const rdns = new ForwardConfirmedReverseDns(dns, 1000);
    expect(await rdns.lookup('192.0.2.1')).toBe('client.example.test');
    expect(await rdns.lookup('192.0.2.2')).toBeUndefined();
    expect(await rdns.lookup('192.0.2.3')).toBeUndefined();
    expect(await rdns.lookup('192.0.2.4')).toBeUndefined();
  });

  it('gives up at the deadline', async () => {
    const never = { resolve: () => new Promise<never>(() => undefined) };
    expect(await new ForwardConfirmedReverseDns(never, 20).lookup('192.0.2.1')).toBeUndefined();
  });
});
