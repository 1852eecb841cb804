/** DNSBL checks against a real dns2 server and a real Redis cache. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Dns2Resolver } from '@mail/dns';
import { createTestRedisPrefix, startDnsServer, type DnsServerFixture } from '@mail/testing';
import { DnsblChecker } from '../src/dnsbl/dnsbl-checker';
import { parseZoneSpec } from '../src/dnsbl/zone-spec';

describe('DnsblChecker', () => {
  let dns: DnsServerFixture;
  let redis: Redis;
  let prefix: Awaited<ReturnType<typeof createTestRedisPrefix>>;
  let resolver: Dns2Resolver;

  beforeAll(async () => {
    dns = await startDnsServer();
    dns.zone('bl.test', 60);
    dns.zone('weighted.test', 60);
    dns.zone('broken.test', 60);
    dns.listDnsbl('bl.test', '127.0.0.2');
    dns.listDnsbl('weighted.test', '127.0.0.2', '127.0.0.4');
    dns.listDnsbl('bl.test', '2001:db8::1');
    dns.listDnsbl('broken.test', '127.0.0.2', '127.255.255.254');
    prefix = await createTestRedisPrefix('dnsbl');
    redis = new Redis(prefix.url, { keyPrefix: prefix.prefix });
    const [host, port] = dns.address.split(':');
    resolver = new Dns2Resolver({ servers: [{ host: host ?? '127.0.0.1', port: Number(port) }], timeoutMs: 300 });
  });
  afterAll(async () => {
    redis?.disconnect();
    await prefix?.cleanup();
    await dns?.close();
  });

  it('adds the weights of every zone that lists the client, IPv4 and IPv6', async () => {
    const checker = new DnsblChecker(resolver, redis, [parseZoneSpec('bl.test*2'), parseZoneSpec('weighted.test=127.0.0.[2..11]*3')], true);
    const listed = await checker.check('127.0.0.2');
    expect(listed.score).toBe(5);
    expect(listed.results.map((r) => r.listed)).toEqual([true, true]);
    const v6 = await checker.check('2001:db8::1');
    expect(v6.score).toBe(2);
    const clean = await checker.check('127.0.0.9');
    expect(clean.score).toBe(0);
  });

  it('serves repeated checks from the Redis cache without a DNS query', async () => {
    const checker = new DnsblChecker(resolver, redis, [parseZoneSpec('bl.test')], true);
    await checker.check('127.0.0.77');
    const before = dns.queries.length;
    const again = await checker.check('127.0.0.77');
    expect(dns.queries.length).toBe(before);
    expect(again.results[0]?.cached).toBe(true);
  });

  it('never counts error codes as a listing', async () => {
    const checker = new DnsblChecker(resolver, redis, [parseZoneSpec('broken.test')], true);
    const outcome = await checker.check('127.0.0.2');
    expect(outcome.score).toBe(0);
    expect(outcome.results[0]?.error).toMatch(/error code/);
  });

  it('fails open, marked unchecked, when every zone times out', async () => {
    dns.fail('2.0.0.127.slow.test', 'timeout');
    const checker = new DnsblChecker(resolver, redis, [parseZoneSpec('slow.test')], true);
    const outcome = await checker.check('127.0.0.2');
    expect(outcome).toMatchObject({ unchecked: true, score: 0 });
  });

  it('skips private and loopback clients unless told to check them', async () => {
    const checker = new DnsblChecker(resolver, redis, [parseZoneSpec('bl.test')], false);
    expect((await checker.check('127.0.0.2')).skipped).toBe('private-address');
    expect((await checker.check('::ffff:10.1.2.3')).skipped).toBe('private-address');
  });
});
