import { describe, expect, it } from 'vitest';
import { FakeResolver } from '@mail/dns/testing';
import { mailauthResolver } from './mailauth-resolver';

describe('mailauthResolver', () => {
  const fake = new FakeResolver()
    .records('example.test', 'TXT', { strings: ['v=spf1 ', 'ip4:192.0.2.1 -all'] })
    .records('example.test', 'MX', { preference: 10, exchange: 'mx.example.test' })
    .records('mx.example.test', 'A', { address: '192.0.2.1' })
    .answer('slow.test', 'TXT', { status: 'timeout' })
    .answer('broken.test', 'TXT', { status: 'servfail' });
  const resolve = mailauthResolver(fake);

  it('answers in the forms of dns.promises.resolve', async () => {
    expect(await resolve('example.test', 'TXT')).toEqual([['v=spf1 ', 'ip4:192.0.2.1 -all']]);
    expect(await resolve('example.test', 'MX')).toEqual([{ exchange: 'mx.example.test', priority: 10 }]);
    expect(await resolve('mx.example.test', 'a')).toEqual(['192.0.2.1']);
  });

  it("fails with Node's error codes", async () => {
    await expect(resolve('missing.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolve('example.test', 'AAAA')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolve('slow.test', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(resolve('broken.test', 'TXT')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    await expect(resolve('example.test', 'SRV')).rejects.toMatchObject({ code: 'ENOTIMP' });
  });
});
