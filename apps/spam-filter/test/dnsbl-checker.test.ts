/** DNSBL checks of the client IP against a real dns2 server and a real Redis cache. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult } from '../src/dnsbl/dns-list-metrics';
import { startDnsListHarness, type DnsListHarness } from './dns-list-harness';

describe('DnsblChecker', () => {
  let h: DnsListHarness;

  beforeAll(async () => {
    h = await startDnsListHarness('dnsbl');
    for (const zone of ['bl.test', 'weighted.test', 'broken.test']) h.dns.zone(zone, 60);
    h.dns.listDnsbl('bl.test', '127.0.0.2');
    h.dns.listDnsbl('bl.test', '192.0.2.10', '127.0.0.3');
    h.dns.listDnsbl('weighted.test', '192.0.2.10', '127.0.0.4');
    h.dns.listDnsbl('bl.test', '2001:db8::1');
    h.dns.listDnsbl('broken.test', '192.0.2.66', '127.255.255.254');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists an IPv4 client and adds the weights of every zone that lists it', async () => {
    const checker = h.dnsbl(['bl.test*2', 'weighted.test=127.0.0.[2..11]*3']);
    const listed = await checker.check('192.0.2.10');
    expect(listed.results.map((r) => [r.zone, r.listed, r.codes])).toEqual([
      ['bl.test', true, ['127.0.0.3']],
      ['weighted.test', true, ['127.0.0.4']],
    ]);
    expect(listed.score).toBe(5);
    expect((await checker.check('192.0.2.11')).score).toBe(0);
  });

  it('counts only the return codes a zone spec names', async () => {
    const checker = h.dnsbl(['bl.test=127.0.0.2*2', 'weighted.test=127.0.0.[2..3]*3']);
    expect((await checker.check('192.0.2.10')).score).toBe(0);
  });

  it('lists an IPv6 client, asked by reversed nibbles (RFC 5782 §2.4), also when dual-stack mapped IPv4 is given', async () => {
    const checker = h.dnsbl(['bl.test*4']);
    const from = h.dns.queries.length;
    const v6 = await checker.check('2001:db8::1');
    expect(v6).toMatchObject({ score: 4, unchecked: false });
    expect(h.asked('bl.test', from)).toEqual([`1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.bl.test`]);
    expect((await checker.check('::ffff:192.0.2.10')).score).toBe(4);
  });

  it('never counts an error-code answer, and takes the zone out of use for every replica', async () => {
    const checker = h.dnsbl(['broken.test*10']);
    const outcome = await checker.check('192.0.2.66');
    expect(outcome).toMatchObject({ score: 0, unchecked: true });
    expect(outcome.results[0]?.error).toMatch(/error code 127\.255\.255\.254/);
    // Another replica (its own ZoneHealth, same Redis) no longer asks the zone at all.
    const from = h.dns.queries.length;
    const other = await h.dnsbl(['broken.test*10']).check('192.0.2.67');
    expect(other.results[0]?.error).toMatch(/zone out of use/);
    expect(h.asked('broken.test', from)).toEqual([]);
  });

  it('fails open, marked unchecked, when every zone times out', async () => {
    h.dns.fail('2.0.0.127.slow.test', 'timeout');
    const recorded: QueryResult[] = [];
    const checker = h.dnsbl(['slow.test*10'], { metrics: { query: (_zone, result) => void recorded.push(result) } });
    const outcome = await checker.check('127.0.0.2');
    expect(outcome).toMatchObject({ unchecked: true, score: 0 });
    expect(outcome.results[0]?.error).toBe('timeout');
    expect(recorded).toEqual(['timeout']);
  });

  it('still counts the zones that answer when another times out', async () => {
    h.dns.fail('10.2.0.192.slow2.test', 'timeout');
    const outcome = await h.dnsbl(['bl.test*2', 'slow2.test*5']).check('192.0.2.10');
    expect(outcome).toMatchObject({ unchecked: false, score: 2 });
  });

  it('counts the listings in by a deadline and leaves slower zones out (in-session screening)', async () => {
    h.dns.fail('10.2.0.192.slow3.test', 'timeout');
    // The resolver would wait 300 ms for slow3.test; the 100 ms deadline answers first.
    const outcome = await h.dnsbl(['bl.test*2', 'slow3.test*5']).check('192.0.2.10', 100);
    expect(outcome).toMatchObject({ unchecked: false, score: 2 });
    expect(outcome.results[1]?.error).toBe('no answer before the deadline');
  });

  it('serves repeated checks from the Redis cache without a DNS query, negative answers too', async () => {
    const recorded: QueryResult[] = [];
    const checker = h.dnsbl(['bl.test'], { metrics: { query: (_zone, result) => void recorded.push(result) } });
    await checker.check('127.0.0.2');
    await checker.check('192.0.2.77');
    const before = h.dns.queries.length;
    const listed = await checker.check('127.0.0.2');
    const clean = await checker.check('192.0.2.77');
    expect(h.dns.queries.length).toBe(before);
    expect([listed.results[0]?.cached, listed.results[0]?.listed, clean.results[0]?.cached, clean.results[0]?.listed]).toEqual([true, true, true, false]);
    expect(recorded).toEqual(['listed', 'not_listed', 'cached', 'cached']);
    // The negative answer is cached for the SOA's negative TTL (RFC 2308 §5), 60 s here.
    const ttl = await h.redis.ttl('dnsxl:answer:77.2.0.192.bl.test');
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('skips private and loopback clients unless told to check them', async () => {
    const checker = h.dnsbl(['bl.test'], { checkPrivate: false });
    expect((await checker.check('127.0.0.2')).skipped).toBe('private-address');
    expect((await checker.check('::ffff:10.1.2.3')).skipped).toBe('private-address');
  });
});
