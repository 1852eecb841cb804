import { describe, it, expect } from 'vitest';
import { FakeResolver } from './fake-resolver';

describe('FakeResolver', () => {
  it('answers configured records with a default TTL and logs each question', async () => {
    const dns = new FakeResolver().records('Example.Test.', 'TXT', { strings: ['v=spf1 ', '-all'] });
    expect(await dns.resolve('example.test', 'TXT')).toEqual({
      status: 'ok',
      records: [{ type: 'TXT', name: 'example.test', ttl: 300, strings: ['v=spf1 ', '-all'], text: 'v=spf1 -all' }],
    });
    expect(dns.queries).toEqual([{ name: 'example.test', type: 'TXT' }]);
  });

  it('answers NODATA for a known name and NXDOMAIN for an unknown one', async () => {
    const dns = new FakeResolver().records('example.test', 'A', { address: '192.0.2.1', ttl: 5 });
    expect(await dns.resolve('example.test', 'MX')).toEqual({ status: 'nodata' });
    expect(await dns.resolve('other.test', 'A')).toEqual({ status: 'nxdomain' });
  });

  it('lets a per-type answer win over a per-name one', async () => {
    const dns = new FakeResolver().answerAll('x.test', { status: 'servfail' }).answer('x.test', 'A', { status: 'timeout' });
    expect(await dns.resolve('x.test', 'A')).toEqual({ status: 'timeout' });
    expect(await dns.resolve('x.test', 'AAAA')).toEqual({ status: 'servfail' });
  });
});
