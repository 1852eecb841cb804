import { describe, it, expect } from 'vitest';
import { FakeResolver } from './fake-resolver';
import { orderByPreference, resolveMx } from './mx';

/** A random source that replays fixed values. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('resolveMx', () => {
  it('sorts MX hosts by preference and resolves each to A then AAAA addresses', async () => {
    const dns = new FakeResolver()
      .records('example.test', 'MX', { preference: 20, exchange: 'backup.example.test' }, { preference: 10, exchange: 'mx.example.test' })
      .records('mx.example.test', 'A', { address: '192.0.2.1' })
      .records('mx.example.test', 'AAAA', { address: '2001:db8::1' })
      .records('backup.example.test', 'AAAA', { address: '2001:db8::2' });
    expect(await resolveMx(dns, 'Example.Test.')).toEqual({
      kind: 'hosts',
      implicit: false,
      hosts: [
        { name: 'mx.example.test', preference: 10, addresses: ['192.0.2.1', '2001:db8::1'] },
        { name: 'backup.example.test', preference: 20, addresses: ['2001:db8::2'] },
      ],
    });
  });

  it('orders equal preferences by the injected random source', async () => {
    const dns = new FakeResolver().records(
      'example.test',
      'MX',
      { preference: 10, exchange: 'a.example.test' },
      { preference: 10, exchange: 'b.example.test' },
      { preference: 5, exchange: 'first.example.test' },
    );
    for (const host of ['a', 'b', 'first']) dns.records(`${host}.example.test`, 'A', { address: '192.0.2.1' });
    const names = async (random: () => number) => {
      const result = await resolveMx(dns, 'example.test', { random });
      return result.kind === 'hosts' ? result.hosts.map((h) => h.name) : [];
    };
    expect(await names(sequence(0.99, 0.99))).toEqual(['first.example.test', 'a.example.test', 'b.example.test']);
    expect(await names(sequence(0.99, 0))).toEqual(['first.example.test', 'b.example.test', 'a.example.test']);
  });

  it('falls back to the implicit MX when the domain has no MX records (RFC 5321 §5.1)', async () => {
    const dns = new FakeResolver().records('example.test', 'A', { address: '192.0.2.7' }).records('example.test', 'AAAA', { address: '2001:db8::7' });
    expect(await resolveMx(dns, 'example.test')).toEqual({
      kind: 'hosts',
      implicit: true,
      hosts: [{ name: 'example.test', preference: 0, addresses: ['192.0.2.7', '2001:db8::7'] }],
    });
    expect(dns.queries.map((q) => q.type)).toEqual(['MX', 'A', 'AAAA']);
  });

  it('fails permanently when there is no MX and no address', async () => {
    const dns = new FakeResolver().records('example.test', 'TXT', { strings: ['hello'] });
    expect(await resolveMx(dns, 'example.test')).toMatchObject({ kind: 'permanent', reason: expect.stringContaining('no MX records') });
  });

  it('reports a null MX (RFC 7505)', async () => {
    const dns = new FakeResolver().records('example.test', 'MX', { preference: 0, exchange: '.' });
    expect(await resolveMx(dns, 'example.test')).toEqual({ kind: 'null-mx' });
  });

  it('ignores a null MX mixed with real ones', async () => {
    const dns = new FakeResolver()
      .records('example.test', 'MX', { preference: 0, exchange: '.' }, { preference: 10, exchange: 'mx.example.test' })
      .records('mx.example.test', 'A', { address: '192.0.2.1' });
    expect(await resolveMx(dns, 'example.test')).toMatchObject({ kind: 'hosts', hosts: [{ name: 'mx.example.test' }] });
  });

  it('fails permanently on NXDOMAIN and temporarily on SERVFAIL or timeout', async () => {
    expect(await resolveMx(new FakeResolver(), 'gone.test')).toMatchObject({ kind: 'permanent', reason: expect.stringContaining('NXDOMAIN') });
    const broken = new FakeResolver().answer('broken.test', 'MX', { status: 'servfail' });
    expect(await resolveMx(broken, 'broken.test')).toMatchObject({ kind: 'temporary' });
    const slow = new FakeResolver().answer('slow.test', 'MX', { status: 'timeout', detail: '127.0.0.1:53: no reply' });
    expect(await resolveMx(slow, 'slow.test')).toMatchObject({ kind: 'temporary', reason: expect.stringContaining('no reply') });
  });

  it('temporarily fails the implicit MX when its address lookup fails', async () => {
    const dns = new FakeResolver().answer('example.test', 'MX', { status: 'nodata' }).answerAll('example.test', { status: 'timeout' });
    expect(await resolveMx(dns, 'example.test')).toMatchObject({ kind: 'temporary' });
  });

  it('skips MX hosts without addresses, keeping those that have some', async () => {
    const dns = new FakeResolver()
      .records('example.test', 'MX', { preference: 10, exchange: 'dead.example.test' }, { preference: 20, exchange: 'mx.example.test' })
      .records('mx.example.test', 'A', { address: '192.0.2.1' })
      .answer('mx.example.test', 'AAAA', { status: 'timeout' });
    expect(await resolveMx(dns, 'example.test')).toEqual({
      kind: 'hosts',
      implicit: false,
      hosts: [{ name: 'mx.example.test', preference: 20, addresses: ['192.0.2.1'] }],
    });
  });

  it('fails temporarily when no MX host resolves and one lookup failed, permanently when none exist', async () => {
    const mx = () => new FakeResolver().records('example.test', 'MX', { preference: 10, exchange: 'a.example.test' }, { preference: 20, exchange: 'b.example.test' });
    expect(await resolveMx(mx().answerAll('b.example.test', { status: 'servfail' }), 'example.test')).toMatchObject({
      kind: 'temporary',
      reason: expect.stringContaining('no MX host has an address'),
    });
    expect(await resolveMx(mx(), 'example.test')).toMatchObject({ kind: 'permanent' });
  });

  it('keeps the most preferred entry of a host listed twice', async () => {
    const dns = new FakeResolver()
      .records('example.test', 'MX', { preference: 30, exchange: 'mx.example.test' }, { preference: 10, exchange: 'mx.example.test' })
      .records('mx.example.test', 'A', { address: '192.0.2.1' });
    expect(await resolveMx(dns, 'example.test')).toMatchObject({ hosts: [{ name: 'mx.example.test', preference: 10 }] });
  });
});

describe('orderByPreference', () => {
  it('is a stable sort by preference over a shuffle', () => {
    const records = [{ preference: 2 }, { preference: 1 }, { preference: 2 }];
    expect(orderByPreference(records, Math.random).map((r) => r.preference)).toEqual([1, 2, 2]);
  });

  it('visits every order of equal preferences with a uniform source', () => {
    const records = ['a', 'b', 'c'].map((name) => ({ name, preference: 0 }));
    const seen = new Set<string>();
    for (const x of [0, 0.34, 0.67]) {
      for (const y of [0, 0.5])
        seen.add(
          orderByPreference(records, sequence(x, y))
            .map((r) => r.name)
            .join(''),
        );
    }
    expect(seen.size).toBe(6);
  });
});
