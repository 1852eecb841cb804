import { describe, it, expect } from 'vitest';
import { dnsblQueryName, lookupDnsbl } from './dnsbl';
import { FakeResolver } from './fake-resolver';

describe('dnsblQueryName', () => {
  it('reverses IPv4 octets (RFC 5782 §2.1)', () => {
    expect(dnsblQueryName('127.0.0.2', 'zen.example')).toBe('2.0.0.127.zen.example');
    expect(dnsblQueryName('192.0.2.99', 'Zen.Example.')).toBe('99.2.0.192.zen.example');
  });

  it('reverses the 32 nibbles of an IPv6 address (RFC 5782 §2.4)', () => {
    expect(dnsblQueryName('2001:DB8:1:2:3:4:567:89ab', 'v6.example')).toBe('b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.v6.example');
    expect(dnsblQueryName('::1', 'v6.example')).toBe(`1${'.0'.repeat(31)}.v6.example`);
    expect(dnsblQueryName('2001:db8::', 'v6.example')).toBe(`${'0.'.repeat(24)}8.b.d.0.1.0.0.2.v6.example`);
  });

  it('keeps IPv4-mapped addresses IPv6, whichever way they are written (RFC 5782 §5 test entry)', () => {
    const name = '2.0.0.0.0.0.f.7.f.f.f.f' + '.0'.repeat(20) + '.v6.example';
    expect(dnsblQueryName('::ffff:7f00:2', 'v6.example')).toBe(name);
    expect(dnsblQueryName('::FFFF:127.0.0.2', 'v6.example')).toBe(name);
  });

  it('throws a clear error for anything but an IP address or an empty zone', () => {
    expect(() => dnsblQueryName('mail.example', 'zen.example')).toThrow('not an IP address: "mail.example"');
    expect(() => dnsblQueryName('1.2.3.4/24', 'zen.example')).toThrow(TypeError);
    expect(() => dnsblQueryName('1.2.3.4', '.')).toThrow(/DNSBL zone/);
  });
});

describe('lookupDnsbl', () => {
  const zone = 'zen.example';

  it('reports a listing with its codes and TTL', async () => {
    const dns = new FakeResolver().records('2.0.0.127.zen.example', 'A', { address: '127.0.0.2', ttl: 900 }, { address: '127.0.0.10', ttl: 300 });
    expect(await lookupDnsbl(dns, '127.0.0.2', zone)).toEqual({ listed: true, codes: ['127.0.0.2', '127.0.0.10'], ttl: 300 });
  });

  it('reads NXDOMAIN as not listed, with the negative TTL', async () => {
    const dns = new FakeResolver().answer('1.0.0.127.zen.example', 'A', { status: 'nxdomain', ttl: 60 });
    expect(await lookupDnsbl(dns, '127.0.0.1', zone)).toEqual({ listed: false, codes: [], ttl: 60 });
    expect(await lookupDnsbl(new FakeResolver(), '127.0.0.1', zone)).toEqual({ listed: false, codes: [] });
  });

  it('does not count answers outside 127.0.0.0/8 as listings', async () => {
    const dns = new FakeResolver().records('4.3.2.1.zen.example', 'A', { address: '198.51.100.1' });
    expect(await lookupDnsbl(dns, '1.2.3.4', zone)).toMatchObject({ listed: false, codes: ['198.51.100.1'] });
  });

  it('reports SERVFAIL and timeouts instead of "not listed"', async () => {
    const dns = new FakeResolver().answer('4.3.2.1.zen.example', 'A', { status: 'servfail' }).answer('5.3.2.1.zen.example', 'A', { status: 'timeout' });
    expect(await lookupDnsbl(dns, '1.2.3.4', zone)).toEqual({ error: 'servfail' });
    expect(await lookupDnsbl(dns, '1.2.3.5', zone)).toEqual({ error: 'timeout' });
  });
});
