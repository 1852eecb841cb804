/** The RFC 5782 §5 self-test against a real dns2 server, its state shared through Redis. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfTestZone } from '../src/dnsbl/self-test';
import { startSelfTests } from '../src/dnsbl/self-test-schedule';
import { startDnsListHarness, type DnsListHarness } from './dns-list-harness';

const silent = { info: () => undefined, warn: () => undefined };

describe('zone self-test', () => {
  let h: DnsListHarness;

  beforeAll(async () => {
    h = await startDnsListHarness('selftest');
    h.dns.zone('good.test', 60);
    h.dns.listDnsbl('good.test', '127.0.0.2');
    h.dns.listDnsbl('good.test', '::ffff:7f00:2');
    h.dns.zone('v4.test', 60);
    h.dns.listDnsbl('v4.test', '127.0.0.2');
    h.dns.zone('empty.test', 60);
    h.dns.zone('wildcard.test', 60);
    h.dns.listDnsbl('wildcard.test', '127.0.0.2');
    h.dns.listDnsbl('wildcard.test', '127.0.0.1');
    h.dns.zone('dbl.test', 60);
    h.dns.add('test.dbl.test', { type: 'A', address: '127.0.1.2' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('passes a list that lists 127.0.0.2 and not 127.0.0.1, noting IPv6 support', async () => {
    expect(await selfTestZone(h.resolver, 'good.test', 'ip')).toMatchObject({ healthy: true, ipv6: true });
    expect(await selfTestZone(h.resolver, 'v4.test', 'ip')).toMatchObject({ healthy: true, ipv6: false });
  });

  it('fails a list that lists nothing, lists everything, or does not answer', async () => {
    expect(await selfTestZone(h.resolver, 'empty.test', 'ip')).toMatchObject({ healthy: false, detail: expect.stringMatching(/2\.0\.0\.127\.empty\.test not-listed/) });
    expect(await selfTestZone(h.resolver, 'wildcard.test', 'ip')).toMatchObject({ healthy: false, detail: expect.stringMatching(/1\.0\.0\.127\.wildcard\.test listed/) });
    h.dns.fail('2.0.0.127.mute.test', 'timeout');
    expect(await selfTestZone(h.resolver, 'mute.test', 'ip')).toMatchObject({ healthy: false, detail: expect.stringMatching(/no-answer/) });
  });

  it('tests a domain list with the reserved names TEST and INVALID (RFC 5782 §5)', async () => {
    expect(await selfTestZone(h.resolver, 'dbl.test', 'domain')).toMatchObject({ healthy: true });
    h.dns.add('invalid.dbl.test', { type: 'A', address: '127.0.1.2' });
    expect(await selfTestZone(h.resolver, 'dbl.test', 'domain')).toMatchObject({ healthy: false });
    h.dns.remove('invalid.dbl.test');
  });

  it('takes a zone whose self-test fails out of use, and brings it back once it is fixed', async () => {
    h.dns.zone('flaky.test', 60);
    h.dns.listDnsbl('flaky.test', '192.0.2.5');
    const health = h.health();
    const schedule = startSelfTests({ redis: h.redis, resolver: h.resolver, health, zones: [{ zone: 'flaky.test', kind: 'ip' }], intervalMs: 3_600_000, log: silent });
    await schedule.tick();
    expect(health.lastSeen().get('flaky.test')?.healthy).toBe(false);

    // Out of use: no replica asks it, and its listing does not count.
    const from = h.dns.queries.length;
    const outcome = await h.dnsbl(['flaky.test*5']).check('192.0.2.5');
    expect(outcome).toMatchObject({ score: 0, unchecked: true });
    expect(h.asked('flaky.test', from)).toEqual([]);

    // The list is fixed; the next self-test (this replica holds no lock on it: the lock has gone) brings it back.
    h.dns.listDnsbl('flaky.test', '127.0.0.2');
    await h.redis.del('dnsxl:selftest:lock');
    await schedule.tick();
    await schedule.stop();
    expect(health.lastSeen().get('flaky.test')).toMatchObject({ healthy: true, detail: expect.stringMatching(/passed/) });
    expect((await h.dnsbl(['flaky.test*5']).check('192.0.2.5')).score).toBe(5);
  });

  it('lets one replica test per interval; the others read its results', async () => {
    h.dns.zone('shared.test', 60);
    const [first, second] = [h.health(), h.health()];
    const zones = [{ zone: 'shared.test', kind: 'ip' as const }];
    await h.redis.del('dnsxl:selftest:lock');
    const from = h.dns.queries.length;
    const a = startSelfTests({ redis: h.redis, resolver: h.resolver, health: first, zones, intervalMs: 3_600_000, log: silent });
    await a.tick();
    const b = startSelfTests({ redis: h.redis, resolver: h.resolver, health: second, zones, intervalMs: 3_600_000, log: silent });
    await b.tick();
    await Promise.all([a.stop(), b.stop()]);
    expect(h.asked('shared.test', from)).toHaveLength(2);
    expect(second.lastSeen().get('shared.test')).toMatchObject({ healthy: false });
  });
});
