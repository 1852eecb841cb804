/**
 * DKIM signing (RFC 6376) through the real mailctl: `dkim generate` prints
 * the TXT record, the test publishes it in the dns2 server, and the message
 * the sink receives verifies with mailauth's dkimVerify querying that
 * server over real DNS.
 */
import { Resolver } from 'node:dns/promises';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelayHarness, type RelayHarness } from './relay-harness';

describe('outbound-relay DKIM signing', () => {
  let h: RelayHarness;
  const dns = new Resolver({ timeout: 2000, tries: 1 });

  beforeAll(async () => {
    h = await startRelayHarness(['127.0.0.2']);
    h.dns.add('signed.test', { type: 'MX', preference: 10, exchange: 'mx.signed.test' });
    h.dns.add('mx.signed.test', { type: 'A', address: '127.0.0.2' });
    dns.setServers([h.dns.address]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** mailauth's resolver, asking the dns2 server. */
  const resolver = async (name: string, type: string) => {
    if (type !== 'TXT') throw Object.assign(new Error(`unexpected ${type} query`), { code: 'ENOTFOUND' });
    return dns.resolveTxt(name);
  };

  it('prints the DNS record to publish, refuses a second key, and shows it again', async () => {
    const generated = await h.mailctl('dkim', 'generate', 'origin.test', '--selector', 'sel1');
    expect(generated.stderr).toBe('');
    expect(generated.stdout).toMatch(/^sel1\._domainkey\.origin\.test TXT "v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+" "[A-Za-z0-9+/=]+"\n; publish this record/);
    const again = await h.mailctl('dkim', 'generate', 'origin.test');
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/has a DKIM key already .*\(key-exists\)/) });
    const shown = await h.mailctl('dkim', 'show', 'origin.test');
    expect(shown.stdout.split('\n')[0]).toBe(generated.stdout.split('\n')[0]);
    expect((await h.mailctl('dkim', 'list')).stdout).toMatch(/^origin\.test {2}selector sel1 {2}rsa-sha256 {2}created /);
  });

  it('signs mail from the domain so that it verifies against the published record', async () => {
    const record = (await h.mailctl('dkim', 'show', 'origin.test')).stdout.split('\n')[0] ?? '';
    const strings = [...record.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    h.dns.add('sel1._domainkey.origin.test', { type: 'TXT', text: strings });
    const queueId = await h.queue(['ann@signed.test'], {
      traceHeaders: [{ name: 'Received', value: 'from client by mx.origin.test; Mon, 1 Jan 2025 00:00:00 +0000' }],
      body: Buffer.from('From: Sender <sender@origin.test>\r\nTo: ann@signed.test\r\nSubject: signed\r\nDate: Mon, 1 Jan 2025 00:00:00 +0000\r\n\r\nHello, signed world.\r\n'),
    });
    await h.waitForEvents(queueId, 1, 'delivered');
    const [transaction] = h.sink('127.0.0.2').delivered();
    const data = transaction?.data ?? Buffer.alloc(0);
    expect(data.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=origin\.test;/);
    expect(transaction?.mailParams['SIZE']).toBe(String(data.length));
    const verified = await dkimVerify(data, { resolver });
    expect(verified.results.map((r) => [r.signingDomain, r.status.result])).toEqual([['origin.test', 'pass']]);
  });

  it('stops signing once the key is removed', async () => {
    expect((await h.mailctl('dkim', 'remove', 'origin.test')).code).toBe(0);
    const queueId = await h.queue(['bob@signed.test']);
    await h.waitForEvents(queueId, 1, 'delivered');
    const sent = h
      .sink('127.0.0.2')
      .delivered()
      .find((t) => t.rcptTo.includes('bob@signed.test'));
    expect(sent?.data.toString()).not.toContain('DKIM-Signature');
    expect((await h.mailctl('dkim', 'show', 'origin.test')).code).toBe(1);
  });
});
