import { describe, expect, it } from 'vitest';
import { FakeResolver } from '@mail/dns/testing';
import { groupByDomain } from './recipient-groups';
import { routeRecipients } from './destinations';

const route = (resolver: FakeResolver, addresses: string[]) => routeRecipients(groupByDomain(addresses), resolver, () => 0);

describe('routeRecipients', () => {
  it('lists MX hosts in preference order with their addresses', async () => {
    const dns = new FakeResolver()
      .records('example.test', 'MX', { preference: 20, exchange: 'backup.example.test' }, { preference: 10, exchange: 'mx.example.test' })
      .records('mx.example.test', 'A', { address: '127.0.0.2' })
      .records('backup.example.test', 'A', { address: '127.0.0.3' });
    const { destinations, failures } = await route(dns, ['a@example.test', 'b@example.test']);
    expect(failures).toEqual([]);
    expect(destinations).toHaveLength(1);
    expect(destinations[0]?.recipients).toEqual(['a@example.test', 'b@example.test']);
    expect(destinations[0]?.hosts.map((h) => [h.name, h.addresses])).toEqual([
      ['mx.example.test', ['127.0.0.2']],
      ['backup.example.test', ['127.0.0.3']],
    ]);
  });

  it('uses the domain itself when it has no MX records (implicit MX, RFC 5321 §5.1)', async () => {
    const dns = new FakeResolver().records('plain.test', 'A', { address: '127.0.0.4' });
    const { destinations } = await route(dns, ['a@plain.test']);
    expect(destinations[0]?.hosts).toEqual([{ name: 'plain.test', preference: 0, addresses: ['127.0.0.4'] }]);
  });

  it('fails recipients of a null-MX domain permanently with 556 5.1.10 (RFC 7505)', async () => {
    const dns = new FakeResolver().records('nomail.test', 'MX', { preference: 0, exchange: '.' });
    const { destinations, failures } = await route(dns, ['a@nomail.test']);
    expect(destinations).toEqual([]);
    expect(failures).toEqual([expect.objectContaining({ recipient: 'a@nomail.test', status: 'permanent', reply: expect.objectContaining({ code: 556, enhanced: '5.1.10' }) })]);
  });

  it('fails recipients of a domain that does not exist permanently', async () => {
    const { failures } = await route(new FakeResolver(), ['a@missing.test']);
    expect(failures[0]).toMatchObject({ status: 'permanent', detail: expect.stringContaining('NXDOMAIN') });
  });

  it('fails recipients temporarily on SERVFAIL or timeout', async () => {
    const dns = new FakeResolver().answer('broken.test', 'MX', { status: 'servfail' }).answer('slow.test', 'MX', { status: 'timeout' });
    const { failures } = await route(dns, ['a@broken.test', 'b@slow.test']);
    expect(failures.map((f) => [f.recipient, f.status])).toEqual([
      ['a@broken.test', 'temporary'],
      ['b@slow.test', 'temporary'],
    ]);
  });

  it('merges domains served by the same MX hosts into one destination (one copy per host)', async () => {
    const dns = new FakeResolver()
      .records('one.test', 'MX', { preference: 10, exchange: 'mx.shared.test' })
      .records('two.test', 'MX', { preference: 10, exchange: 'mx.shared.test' })
      .records('three.test', 'MX', { preference: 10, exchange: 'mx.other.test' })
      .records('mx.shared.test', 'A', { address: '127.0.0.2' })
      .records('mx.other.test', 'A', { address: '127.0.0.3' });
    const { destinations } = await route(dns, ['a@one.test', 'b@two.test', 'c@three.test']);
    expect(destinations.map((d) => [d.domains, d.recipients])).toEqual([
      [
        ['one.test', 'two.test'],
        ['a@one.test', 'b@two.test'],
      ],
      [['three.test'], ['c@three.test']],
    ]);
  });

  it('sends to an address literal directly, without DNS (RFC 5321 §4.1.3)', async () => {
    const dns = new FakeResolver();
    const { destinations } = await route(dns, ['a@[127.0.0.9]']);
    expect(destinations[0]?.hosts).toEqual([{ name: '[127.0.0.9]', preference: 0, addresses: ['127.0.0.9'] }]);
    expect(dns.queries).toEqual([]);
  });
});
