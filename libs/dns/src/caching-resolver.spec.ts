import { describe, expect, it } from 'vitest';
import { CachingResolver, cacheSeconds, MAX_NEGATIVE_TTL_SECONDS, MAX_POSITIVE_TTL_SECONDS, type CacheOutcome } from './caching-resolver';
import { FakeResolver } from './fake-resolver';

function cachingOver(fake: FakeResolver, maxEntries = 100) {
  const clock = { now: 1_000_000 };
  const outcomes: CacheOutcome[] = [];
  const resolver = new CachingResolver(fake, { maxEntries, now: () => clock.now, onLookup: (outcome) => outcomes.push(outcome) });
  return { resolver, clock, outcomes };
}

describe('CachingResolver', () => {
  it('keeps records for their smallest TTL and counts the TTL down', async () => {
    const fake = new FakeResolver().records('example.test', 'TXT', { strings: ['v=spf1 -all'], ttl: 30 }, { strings: ['other'], ttl: 20 });
    const { resolver, clock, outcomes } = cachingOver(fake);
    await resolver.resolve('example.test', 'TXT');
    clock.now += 19_500;
    expect(await resolver.resolve('Example.TEST.', 'TXT')).toMatchObject({
      status: 'ok',
      records: [
        { text: 'v=spf1 -all', ttl: 11 },
        { text: 'other', ttl: 1 },
      ],
    });
    expect(fake.queries).toHaveLength(1);
    clock.now += 500;
    await resolver.resolve('example.test', 'TXT');
    expect(fake.queries).toHaveLength(2);
    expect(outcomes).toEqual(['miss', 'hit', 'miss']);
  });

  it('keeps NXDOMAIN and NODATA for their SOA TTL (RFC 2308 §5), and not without one', async () => {
    const fake = new FakeResolver()
      .answer('gone.test', 'TXT', { status: 'nxdomain', ttl: 60 })
      .answer('bare.test', 'TXT', { status: 'nodata', ttl: 10 })
      .answer('nosoa.test', 'TXT', { status: 'nxdomain' });
    const { resolver, clock } = cachingOver(fake);
    for (const name of ['gone.test', 'bare.test', 'nosoa.test', 'gone.test', 'bare.test', 'nosoa.test']) await resolver.resolve(name, 'TXT');
    expect(fake.queries.map((q) => q.name)).toEqual(['gone.test', 'bare.test', 'nosoa.test', 'nosoa.test']);
    clock.now += 10_000;
    expect(await resolver.resolve('gone.test', 'TXT')).toEqual({ status: 'nxdomain', ttl: 50 });
    await resolver.resolve('bare.test', 'TXT');
    expect(fake.queries.map((q) => q.name).slice(4)).toEqual(['bare.test']);
  });

  it('never keeps a server failure or a timeout as an answer', async () => {
    const fake = new FakeResolver().answer('broken.test', 'TXT', { status: 'servfail' }).answer('slow.test', 'TXT', { status: 'timeout' });
    const { resolver } = cachingOver(fake);
    for (let i = 0; i < 2; i++) {
      expect(await resolver.resolve('broken.test', 'TXT')).toMatchObject({ status: 'servfail' });
      expect(await resolver.resolve('slow.test', 'TXT')).toMatchObject({ status: 'timeout' });
    }
    expect(fake.queries).toHaveLength(4);
    expect(resolver.size).toBe(0);
  });

  it('a name that failed and then answers is kept from then on', async () => {
    const fake = new FakeResolver().answer('flaky.test', 'TXT', { status: 'servfail' });
    const { resolver } = cachingOver(fake);
    await resolver.resolve('flaky.test', 'TXT');
    fake.records('flaky.test', 'TXT', { strings: ['v=spf1 -all'] });
    expect(await resolver.resolve('flaky.test', 'TXT')).toMatchObject({ status: 'ok' });
    expect(await resolver.resolve('flaky.test', 'TXT')).toMatchObject({ status: 'ok' });
    expect(fake.queries).toHaveLength(2);
  });

  it('asks once for a question asked again while in flight, whatever the outcome', async () => {
    const fake = new FakeResolver().records('example.test', 'A', { address: '192.0.2.1' }).answer('slow.test', 'A', { status: 'timeout' });
    const { resolver, outcomes } = cachingOver(fake);
    const answers = await Promise.all([resolver.resolve('example.test', 'A'), resolver.resolve('example.test', 'A'), resolver.resolve('slow.test', 'A'), resolver.resolve('slow.test', 'A')]);
    expect(answers.map((a) => a.status)).toEqual(['ok', 'ok', 'timeout', 'timeout']);
    expect(fake.queries).toHaveLength(2);
    expect(outcomes).toEqual(['miss', 'shared', 'miss', 'shared']);
    await resolver.resolve('slow.test', 'A');
    expect(fake.queries).toHaveLength(3);
  });

  it('keeps types apart', async () => {
    const fake = new FakeResolver().records('example.test', 'A', { address: '192.0.2.1' });
    const { resolver } = cachingOver(fake);
    expect(await resolver.resolve('example.test', 'A')).toMatchObject({ status: 'ok' });
    expect(await resolver.resolve('example.test', 'TXT')).toMatchObject({ status: 'nodata' });
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const fake = new FakeResolver();
    for (const name of ['a.test', 'b.test', 'c.test']) fake.records(name, 'A', { address: '192.0.2.1' });
    const { resolver } = cachingOver(fake, 2);
    await resolver.resolve('a.test', 'A');
    await resolver.resolve('b.test', 'A');
    await resolver.resolve('a.test', 'A');
    await resolver.resolve('c.test', 'A');
    expect(resolver.size).toBe(2);
    await resolver.resolve('a.test', 'A');
    await resolver.resolve('b.test', 'A');
    expect(fake.queries.map((q) => q.name)).toEqual(['a.test', 'b.test', 'c.test', 'b.test']);
  });

  it('with maxEntries 0 keeps nothing', async () => {
    const fake = new FakeResolver().records('example.test', 'A', { address: '192.0.2.1' });
    const { resolver } = cachingOver(fake, 0);
    await resolver.resolve('example.test', 'A');
    await resolver.resolve('example.test', 'A');
    expect(fake.queries).toHaveLength(2);
    expect(() => new CachingResolver(fake, { maxEntries: -1 })).toThrow(RangeError);
  });

  it('caps TTLs as resolvers do, and keeps nothing with TTL 0', () => {
    const record = (ttl: number) => ({ type: 'A' as const, name: 'x.test', ttl, address: '192.0.2.1' });
    expect(cacheSeconds({ status: 'ok', records: [record(10 * MAX_POSITIVE_TTL_SECONDS)] })).toBe(MAX_POSITIVE_TTL_SECONDS);
    expect(cacheSeconds({ status: 'ok', records: [record(0), record(60)] })).toBe(0);
    expect(cacheSeconds({ status: 'nxdomain', ttl: 86_400 })).toBe(MAX_NEGATIVE_TTL_SECONDS);
    expect(cacheSeconds({ status: 'nodata', ttl: 0 })).toBe(0);
  });
});
