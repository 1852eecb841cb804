import { describe, it, expect } from 'vitest';
import { Packet, TCPClient, UDPClient } from 'dns2';
import { startDnsServer, type DnsServerFixture } from './dns-server';
import { waitFor } from './wait-for';

/** Asks the fixture over UDP with dns2's own client, so these tests do not depend on @mail/dns. */
function ask(dns: DnsServerFixture, name: string, type: string, timeout = 1000): Promise<Packet> {
  return UDPClient({ dns: '127.0.0.1', port: dns.port, timeout })(name, type);
}

describe('startDnsServer', () => {
  it('listens on 127.0.0.1 with a random port and an address for DNS_SERVERS', async () => {
    await using dns = await startDnsServer();
    expect(dns.port).toBeGreaterThan(0);
    expect(dns.address).toBe(`127.0.0.1:${dns.port}`);
  });

  it('answers every record type with its TTL', async () => {
    await using dns = await startDnsServer({
      'example.test': [
        { type: 'A', address: '192.0.2.1', ttl: 42 },
        { type: 'AAAA', address: '2001:db8::1' },
        { type: 'MX', preference: 10, exchange: 'mx.example.test' },
        { type: 'TXT', text: ['v=spf1 ', '-all'] },
      ],
      'www.example.test': [{ type: 'CNAME', target: 'example.test' }],
      '1.2.0.192.in-addr.arpa': [{ type: 'PTR', target: 'example.test' }],
    });
    const a = await ask(dns, 'Example.Test.', 'A');
    expect(a.answers).toMatchObject([{ name: 'Example.Test', address: '192.0.2.1', ttl: 42 }]);
    expect((await ask(dns, 'example.test', 'AAAA')).answers).toMatchObject([{ address: '2001:db8::1', ttl: 300 }]);
    expect((await ask(dns, 'example.test', 'MX')).answers).toMatchObject([{ priority: 10, exchange: 'mx.example.test' }]);
    expect((await ask(dns, 'example.test', 'TXT')).answers).toMatchObject([{ data: ['v=spf1 ', '-all'] }]);
    expect((await ask(dns, 'www.example.test', 'CNAME')).answers).toMatchObject([{ domain: 'example.test' }]);
    expect((await ask(dns, '1.2.0.192.in-addr.arpa', 'PTR')).answers).toMatchObject([{ domain: 'example.test' }]);
  });

  it('serves a null MX (RFC 7505)', async () => {
    await using dns = await startDnsServer({ 'nomail.test': [{ type: 'MX', preference: 0, exchange: '.' }] });
    expect((await ask(dns, 'nomail.test', 'MX')).answers).toMatchObject([{ priority: 0, exchange: '' }]);
  });

  it('splits TXT text longer than 255 octets into character-strings', async () => {
    const key = 'k'.repeat(300);
    await using dns = await startDnsServer({ 'sel._domainkey.test': [{ type: 'TXT', text: key }] });
    const [record] = (await ask(dns, 'sel._domainkey.test', 'TXT')).answers;
    expect(record?.data).toEqual(['k'.repeat(255), 'k'.repeat(45)]);
  });

  it('answers NXDOMAIN for unknown names and NODATA for missing types, both with an SOA', async () => {
    await using dns = await startDnsServer({ 'a.b.example.test': [{ type: 'A', address: '192.0.2.1' }] }, { negativeTtl: 30 });
    dns.zone('example.test', 15);
    const nx = await ask(dns, 'nope.example.test', 'A');
    expect(nx.header.rcode).toBe(Packet.RCODE.NXDOMAIN);
    expect(nx.authorities).toMatchObject([{ name: 'example.test', type: Packet.TYPE.SOA, minimum: 15, ttl: 15 }]);
    const nodata = await ask(dns, 'a.b.example.test', 'MX');
    expect(nodata.header.rcode).toBe(Packet.RCODE.NOERROR);
    expect(nodata.answers).toEqual([]);
    expect(nodata.authorities).toMatchObject([{ type: Packet.TYPE.SOA, minimum: 15 }]);
    // RFC 8020: b.example.test is an empty non-terminal, so it exists.
    expect((await ask(dns, 'b.example.test', 'A')).header.rcode).toBe(Packet.RCODE.NOERROR);
    const elsewhere = await ask(dns, 'other.invalid', 'A');
    expect(elsewhere.header.rcode).toBe(Packet.RCODE.NXDOMAIN);
    expect(elsewhere.authorities).toMatchObject([{ name: '', minimum: 30 }]);
  });

  it('fails names on demand: NXDOMAIN, SERVFAIL, or no answer at all', async () => {
    await using dns = await startDnsServer({ 'ok.test': [{ type: 'A', address: '192.0.2.1' }] });
    dns.fail('ok.test', 'nxdomain');
    expect((await ask(dns, 'ok.test', 'A')).header.rcode).toBe(Packet.RCODE.NXDOMAIN);
    dns.fail('ok.test', 'servfail');
    expect((await ask(dns, 'ok.test', 'A')).header.rcode).toBe(Packet.RCODE.SERVFAIL);
    dns.fail('ok.test', 'timeout');
    await expect(ask(dns, 'ok.test', 'A', 200)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    dns.remove('ok.test');
    expect((await ask(dns, 'ok.test', 'A')).header.rcode).toBe(Packet.RCODE.NXDOMAIN);
  });

  it('chases CNAMEs in the table, or leaves that to the client', async () => {
    const table = {
      'alias.test': [{ type: 'CNAME', target: 'real.test' }],
      'real.test': [{ type: 'A', address: '192.0.2.7' }],
      'dangling.test': [{ type: 'CNAME', target: 'gone.test' }],
    } as const;
    await using chasing = await startDnsServer(table);
    const chased = await ask(chasing, 'alias.test', 'A');
    expect(chased.answers).toMatchObject([{ domain: 'real.test' }, { name: 'real.test', address: '192.0.2.7' }]);
    // RFC 6604: the RCODE speaks for the end of the chain.
    expect((await ask(chasing, 'dangling.test', 'A')).header.rcode).toBe(Packet.RCODE.NXDOMAIN);

    await using lazy = await startDnsServer(table, { followCnames: false });
    const unchased = await ask(lazy, 'alias.test', 'A');
    expect(unchased.answers).toMatchObject([{ domain: 'real.test' }]);
    expect(unchased.answers).toHaveLength(1);
    expect(unchased.authorities).toEqual([]);
  });

  it('lists IPv4 and IPv6 addresses in a DNSBL zone (RFC 5782 §2.1, §2.4)', async () => {
    await using dns = await startDnsServer();
    dns.listDnsbl('zen.example', '192.0.2.99');
    dns.listDnsbl('v6.example', '2001:db8::1', '127.0.0.4');
    expect((await ask(dns, '99.2.0.192.zen.example', 'A')).answers).toMatchObject([{ address: '127.0.0.2' }]);
    const nibbles = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2';
    expect((await ask(dns, `${nibbles}.v6.example`, 'A')).answers).toMatchObject([{ address: '127.0.0.4' }]);
    expect((await ask(dns, '1.0.0.127.zen.example', 'A')).header.rcode).toBe(Packet.RCODE.NXDOMAIN);
    expect(() => dns.listDnsbl('zen.example', 'not-an-ip')).toThrow(TypeError);
  });

  it('logs every question, and applies table changes to the next one', async () => {
    await using dns = await startDnsServer();
    await ask(dns, 'Late.Test', 'MX');
    dns.add('late.test', { type: 'MX', preference: 5, exchange: 'mx.late.test' });
    expect((await ask(dns, 'late.test', 'MX')).answers).toHaveLength(1);
    dns.remove('late.test', 'MX');
    expect((await ask(dns, 'late.test', 'MX')).answers).toHaveLength(0);
    expect(dns.queries).toEqual([
      { name: 'late.test', type: 'MX' },
      { name: 'late.test', type: 'MX' },
      { name: 'late.test', type: 'MX' },
    ]);
  });

  it('answers over TCP on the same port', async () => {
    await using dns = await startDnsServer({ 'tcp.test': [{ type: 'A', address: '192.0.2.3' }] });
    const reply = await TCPClient({ dns: '127.0.0.1', port: dns.port })('tcp.test', 'A');
    expect(reply.answers).toMatchObject([{ address: '192.0.2.3' }]);
  });

  it('rejects malformed records when they are added', async () => {
    await using dns = await startDnsServer();
    expect(() => dns.add('x.test', { type: 'A', address: '2001:db8::1' })).toThrow(/IPv4/);
    expect(() => dns.add('x.test', { type: 'AAAA', address: '192.0.2.1' })).toThrow(/IPv6/);
    dns.add('x.test', { type: 'CNAME', target: 'y.test' });
    expect(() => dns.add('x.test', { type: 'A', address: '192.0.2.1' })).toThrow(/CNAME/);
  });

  it('stops answering once closed', async () => {
    const dns = await startDnsServer({ 'a.test': [{ type: 'A', address: '192.0.2.1' }] });
    dns.fail('a.test', 'timeout');
    const pending = TCPClient({ dns: '127.0.0.1', port: dns.port })('a.test', 'A').catch((error: unknown) => error);
    await waitFor(() => dns.queries.length === 1, { timeoutMs: 2000, description: 'the question to arrive' });
    await dns.close();
    await dns.close();
    await expect(ask(dns, 'a.test', 'A', 200)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(await pending).toBeInstanceOf(Error);
  });
});
