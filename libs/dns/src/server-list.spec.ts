import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DnsServerListError, formatDnsServer, parseDnsServers, systemDnsServers } from './server-list';

describe('parseDnsServers', () => {
  it('parses IPv4 and bracketed IPv6 with ports, defaulting to 53', () => {
    expect(parseDnsServers('127.0.0.1:5353, 127.0.0.2 ,[::1]:53,[2001:db8::1]')).toEqual([
      { host: '127.0.0.1', port: 5353 },
      { host: '127.0.0.2', port: 53 },
      { host: '::1', port: 53 },
      { host: '2001:db8::1', port: 53 },
    ]);
  });

  it('accepts a bare IPv6 literal as an address on port 53', () => {
    expect(parseDnsServers('2001:db8::53')).toEqual([{ host: '2001:db8::53', port: 53 }]);
  });

  it('gives an empty list for an empty string', () => {
    expect(parseDnsServers('')).toEqual([]);
    expect(parseDnsServers(' , ')).toEqual([]);
  });

  it.each(['dns.example:53', '127.0.0.1:0', '127.0.0.1:70000', '[127.0.0.1]:53', '::1]:53', '127.0.0.1:', '1.2.3'])('rejects %s naming the variable', (item) => {
    expect(() => parseDnsServers(`127.0.0.1,${item}`, 'RELAY_DNS')).toThrow(DnsServerListError);
    expect(() => parseDnsServers(item, 'RELAY_DNS')).toThrow(/^RELAY_DNS must be a comma-separated list of ip\[:port\]/);
  });
});

describe('formatDnsServer', () => {
  it('round-trips through parseDnsServers', () => {
    const servers = parseDnsServers('127.0.0.1:5353,[::1]:53');
    expect(servers.map(formatDnsServer).join(',')).toBe('127.0.0.1:5353,[::1]:53');
  });
});

describe('systemDnsServers', () => {
  // The machine's own resolv.conf may list anything (or nothing): give node:dns
  // a known list. setServers rebinds the CommonJS exports only; the ES module
  // named export the code imports follows after syncBuiltinESMExports.
  const useServers = (servers: string[]) => {
    dns.setServers(servers);
    syncBuiltinESMExports();
  };
  let saved: string[];
  beforeEach(() => {
    saved = dns.getServers();
  });
  afterEach(() => useServers(saved));

  it('parses what node:dns reports, ports and bare IPv6 included', () => {
    useServers(['127.0.0.1:5353', '192.0.2.53', '[::1]:53', '[2001:db8::2]:5300']);
    expect(systemDnsServers()).toEqual([
      { host: '127.0.0.1', port: 5353 },
      { host: '192.0.2.53', port: 53 },
      { host: '::1', port: 53 },
      { host: '2001:db8::2', port: 5300 },
    ]);
  });
});
