import { describe, expect, it } from 'vitest';
import { FakeResolver } from '@mail/dns/testing';
import { routeDomains } from '../delivery/destinations';
import { parseRelayHost, smarthostOf } from './relay-host';

const smarthost = (value: string) => {
  const host = smarthostOf({ relayHost: parseRelayHost(value), relayUsername: undefined, relayPassword: undefined, relayPasswordFile: undefined, relayTls: 'starttls', relayTlsCaFile: undefined });
  if (!host) throw new Error('no smarthost');
  return host;
};

describe('routing through a smarthost', () => {
  it('sends every domain to the bracketed host, looked up once by address and never by MX', async () => {
    const dns = new FakeResolver().records('smtp.example.net', 'A', { address: '192.0.2.7' }).records('smtp.example.net', 'AAAA', { address: '2001:db8::7' });
    const routes = await routeDomains(['a.test', 'b.test', 'a.test'], dns, () => 0, smarthost('[smtp.example.net]'));
    const expected = { hosts: [{ name: 'smtp.example.net', preference: 0, addresses: ['192.0.2.7', '2001:db8::7'] }] };
    expect([...routes]).toEqual([
      ['a.test', expected],
      ['b.test', expected],
    ]);
    expect(dns.queries.map((q) => `${q.name} ${q.type}`).sort()).toEqual(['smtp.example.net A', 'smtp.example.net AAAA']);
  });

  it('looks a plain host up as a mail domain (its MX hosts)', async () => {
    const dns = new FakeResolver().records('example.net', 'MX', { preference: 10, exchange: 'relay.example.net' }).records('relay.example.net', 'A', { address: '192.0.2.8' });
    const routes = await routeDomains(['a.test'], dns, () => 0, smarthost('example.net:587'));
    expect(routes.get('a.test')).toEqual({ hosts: [{ name: 'relay.example.net', preference: 10, addresses: ['192.0.2.8'] }] });
  });

  it('takes an address as it is', async () => {
    const dns = new FakeResolver();
    const routes = await routeDomains(['a.test'], dns, () => 0, smarthost('[192.0.2.9]:2525'));
    expect(routes.get('a.test')).toEqual({ hosts: [{ name: '192.0.2.9', preference: 0, addresses: ['192.0.2.9'] }] });
    expect(dns.queries).toEqual([]);
  });

  it('defers, never bounces, when the smarthost cannot be found', async () => {
    const missing = await routeDomains(['a.test'], new FakeResolver(), () => 0, smarthost('[gone.example.net]'));
    expect(missing.get('a.test')).toMatchObject({ status: 'temporary', code: 451, enhanced: '4.4.3', detail: expect.stringMatching(/^relay host: gone\.example\.net: no address/) });
    const nullMx = await routeDomains(['a.test'], new FakeResolver().records('example.net', 'MX', { preference: 0, exchange: '.' }), () => 0, smarthost('example.net'));
    expect(nullMx.get('a.test')).toMatchObject({ status: 'temporary', detail: 'relay host: example.net has a null MX' });
  });
});
