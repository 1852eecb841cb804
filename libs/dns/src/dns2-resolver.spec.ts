/**
 * Integration: Dns2Resolver, resolveMx and lookupDnsbl against a real dns2
 * server from @mail/testing on a random loopback port.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { describe, it, expect } from 'vitest';
import { startDnsServer } from '@mail/testing';
import { Dns2Resolver } from './dns2-resolver';
import { lookupDnsbl } from './dnsbl';
import { resolveMx } from './mx';
import { parseDnsServers } from './server-list';

function resolverFor(...addresses: string[]): Dns2Resolver {
  return new Dns2Resolver({ servers: parseDnsServers(addresses.join(',')), timeoutMs: 300 });
}

describe('Dns2Resolver', () => {
  it('resolves each record type with its TTL', async () => {
    await using dns = await startDnsServer({
      'example.test': [
        { type: 'A', address: '192.0.2.1', ttl: 60 },
        { type: 'AAAA', address: '2001:db8::1', ttl: 61 },
        { type: 'MX', preference: 10, exchange: 'mx.example.test', ttl: 62 },
        { type: 'TXT', text: ['v=spf1 ', '-all'], ttl: 63 },
      ],
      '1.2.0.192.in-addr.arpa': [{ type: 'PTR', target: 'example.test', ttl: 64 }],
    });
    const dnsClient = resolverFor(dns.address);
    expect(await dnsClient.resolve('example.test', 'A')).toEqual({
      status: 'ok',
      records: [{ type: 'A', name: 'example.test', ttl: 60, address: '192.0.2.1' }],
    });
    expect(await dnsClient.resolve('example.test', 'AAAA')).toMatchObject({ records: [{ address: '2001:db8::1', ttl: 61 }] });
    expect(await dnsClient.resolve('example.test', 'MX')).toMatchObject({ records: [{ preference: 10, exchange: 'mx.example.test' }] });
    expect(await dnsClient.resolve('example.test', 'TXT')).toMatchObject({ records: [{ text: 'v=spf1 -all', ttl: 63 }] });
    expect(await dnsClient.resolve('1.2.0.192.in-addr.arpa', 'PTR')).toMatchObject({ records: [{ target: 'example.test' }] });
  });

  it('tells NXDOMAIN, NODATA and SERVFAIL apart, with negative TTLs', async () => {
    await using dns = await startDnsServer({ 'example.test': [{ type: 'A', address: '192.0.2.1' }] });
    dns.zone('example.test', 45);
    dns.fail('broken.example.test', 'servfail');
    const dnsClient = resolverFor(dns.address);
    expect(await dnsClient.resolve('missing.example.test', 'A')).toEqual({ status: 'nxdomain', ttl: 45 });
    expect(await dnsClient.resolve('example.test', 'MX')).toEqual({ status: 'nodata', ttl: 45 });
    expect(await dnsClient.resolve('broken.example.test', 'A')).toMatchObject({ status: 'servfail' });
  });

  it('times out within its bound when the server never answers', async () => {
    await using dns = await startDnsServer();
    dns.fail('slow.test', 'timeout');
    const started = Date.now();
    expect(await resolverFor(dns.address).resolve('slow.test', 'A')).toMatchObject({
      status: 'timeout',
      detail: expect.stringContaining(dns.address),
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('moves to the next server when one does not reply', async () => {
    const silent = createSocket('udp4');
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      await using dns = await startDnsServer({ 'example.test': [{ type: 'A', address: '192.0.2.1' }] });
      const dnsClient = resolverFor(`127.0.0.1:${silent.address().port}`, dns.address);
      expect(await dnsClient.resolve('example.test', 'A')).toMatchObject({ status: 'ok' });
    } finally {
      silent.close();
    }
  });

  it('does not move on after a reply, even SERVFAIL', async () => {
    await using first = await startDnsServer();
    await using second = await startDnsServer({ 'x.test': [{ type: 'A', address: '192.0.2.1' }] });
    first.fail('x.test', 'servfail');
    expect(await resolverFor(first.address, second.address).resolve('x.test', 'A')).toMatchObject({ status: 'servfail' });
    expect(second.queries).toEqual([]);
  });

  it('follows CNAMEs the server chased, capping TTLs by the alias', async () => {
    await using dns = await startDnsServer({
      'www.example.test': [{ type: 'CNAME', target: 'host.example.test', ttl: 20 }],
      'host.example.test': [{ type: 'A', address: '192.0.2.8', ttl: 600 }],
    });
    expect(await resolverFor(dns.address).resolve('www.example.test', 'A')).toEqual({
      status: 'ok',
      records: [{ type: 'A', name: 'host.example.test', ttl: 20, address: '192.0.2.8' }],
    });
    expect(dns.queries).toHaveLength(1);
  });

  it('asks again for the target of a CNAME the server did not chase', async () => {
    await using dns = await startDnsServer(
      {
        'www.example.test': [{ type: 'CNAME', target: 'cdn.other.test', ttl: 20 }],
        'cdn.other.test': [{ type: 'A', address: '192.0.2.9' }],
      },
      { followCnames: false },
    );
    expect(await resolverFor(dns.address).resolve('www.example.test', 'A')).toMatchObject({
      status: 'ok',
      records: [{ name: 'cdn.other.test', address: '192.0.2.9', ttl: 20 }],
    });
    expect(dns.queries).toEqual([
      { name: 'www.example.test', type: 'A' },
      { name: 'cdn.other.test', type: 'A' },
    ]);
  });

  it('gives up on CNAME loops and chains longer than 8', async () => {
    const chain = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}.test`, [{ type: 'CNAME' as const, target: `c${i + 1}.test` }]]));
    await using dns = await startDnsServer(
      {
        ...chain,
        'c10.test': [{ type: 'A', address: '192.0.2.10' }],
        'loop-a.test': [{ type: 'CNAME', target: 'loop-b.test' }],
        'loop-b.test': [{ type: 'CNAME', target: 'loop-a.test' }],
      },
      { followCnames: false },
    );
    const dnsClient = resolverFor(dns.address);
    expect(await dnsClient.resolve('loop-a.test', 'A')).toMatchObject({ status: 'servfail' });
    // c1 → c10 is 9 CNAMEs, c2 → c10 is 8.
    expect(await dnsClient.resolve('c1.test', 'A')).toMatchObject({ status: 'servfail', detail: expect.stringContaining('too many CNAMEs') });
    expect(await dnsClient.resolve('c2.test', 'A')).toMatchObject({ status: 'ok' });
  });

  it('retries a truncated reply over TCP', async () => {
    const long = Array.from({ length: 6 }, (_, i) => ({ type: 'TXT' as const, text: `${i}${'x'.repeat(200)}` }));
    await using dns = await startDnsServer({ 'big.test': long });
    const answer = await resolverFor(dns.address).resolve('big.test', 'TXT');
    expect(answer.status === 'ok' && answer.records).toHaveLength(6);
    expect(dns.queries).toHaveLength(2); // once over UDP (truncated), once over TCP
  });

  it('falls back to the system resolvers when none are configured', () => {
    expect(new Dns2Resolver().servers.length).toBeGreaterThan(0);
    expect(new Dns2Resolver({ servers: [] }).servers.length).toBeGreaterThan(0);
  });

  it('refuses a non-positive timeout', () => {
    expect(() => new Dns2Resolver({ servers: parseDnsServers('127.0.0.1'), timeoutMs: 0 })).toThrow(RangeError);
  });
});

describe('resolveMx over the wire', () => {
  it('resolves MX hosts, the implicit MX and a null MX', async () => {
    await using dns = await startDnsServer({
      'example.test': [{ type: 'MX', preference: 10, exchange: 'mx.example.test' }],
      'mx.example.test': [
        { type: 'A', address: '192.0.2.1' },
        { type: 'AAAA', address: '2001:db8::1' },
      ],
      'bare.test': [{ type: 'A', address: '192.0.2.2' }],
      'nomail.test': [{ type: 'MX', preference: 0, exchange: '.' }],
    });
    const dnsClient = resolverFor(dns.address);
    expect(await resolveMx(dnsClient, 'example.test')).toEqual({
      kind: 'hosts',
      implicit: false,
      hosts: [{ name: 'mx.example.test', preference: 10, addresses: ['192.0.2.1', '2001:db8::1'] }],
    });
    expect(await resolveMx(dnsClient, 'bare.test')).toEqual({
      kind: 'hosts',
      implicit: true,
      hosts: [{ name: 'bare.test', preference: 0, addresses: ['192.0.2.2'] }],
    });
    expect(await resolveMx(dnsClient, 'nomail.test')).toEqual({ kind: 'null-mx' });
    expect(await resolveMx(dnsClient, 'gone.test')).toMatchObject({ kind: 'permanent' });
    dns.fail('flaky.test', 'servfail');
    expect(await resolveMx(dnsClient, 'flaky.test')).toMatchObject({ kind: 'temporary' });
  });
});

describe('lookupDnsbl over the wire', () => {
  it('finds IPv4 and IPv6 listings and reads NXDOMAIN as not listed', async () => {
    await using dns = await startDnsServer();
    dns.zone('zen.example', 120);
    dns.listDnsbl('zen.example', '192.0.2.99', '127.0.0.4');
    dns.listDnsbl('zen.example', '2001:db8::99');
    dns.listDnsbl('zen.example', '::ffff:7f00:2');
    const dnsClient = resolverFor(dns.address);
    expect(await lookupDnsbl(dnsClient, '192.0.2.99', 'zen.example')).toEqual({ listed: true, codes: ['127.0.0.4'], ttl: 300 });
    expect(await lookupDnsbl(dnsClient, '2001:db8::99', 'zen.example')).toMatchObject({ listed: true, codes: ['127.0.0.2'] });
    expect(await lookupDnsbl(dnsClient, '::ffff:127.0.0.2', 'zen.example')).toMatchObject({ listed: true });
    expect(await lookupDnsbl(dnsClient, '192.0.2.1', 'zen.example')).toEqual({ listed: false, codes: [], ttl: 120 });
    dns.fail('1.2.0.192.zen.example', 'timeout');
    expect(await lookupDnsbl(dnsClient, '192.0.2.1', 'zen.example')).toEqual({ error: 'timeout' });
  });
});
