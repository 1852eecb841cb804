/**
 * PROXY protocol v1 and v2 (HAProxy spec) against the real process, from
 * raw sockets: 127.0.0.1 is the trusted load balancer, 127.0.0.2 is not.
 * The real client IP from the header reaches the event, Received:, the
 * screening request and the per-IP limits; a trusted peer without a valid
 * header, or silent, is closed without a word; an untrusted peer's header
 * is never believed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Requests } from '@mail/contracts';
import { Pp2Type, V2_SIGNATURE, encodeProxyV2, formatProxyV1 } from '@mail/proxy-protocol';
import { testNatsUrl, waitFor } from '@mail/testing';
import { startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { RawSmtpClient } from './fixtures/tls-session';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const destination = { address: '127.0.0.1', port: 25, family: 'IPv4' } as const;
const v1 = (address: string, port = 40_000): string => formatProxyV1({ address, port, family: 'IPv4' }, destination);

describe('smtp-ingress PROXY protocol', () => {
  let ingress: IngressStack;
  let port: number;
  let screening: Bus;
  const screened: string[] = [];

  /** Sends `header` (and `after` in the same write), expects the greeting, and delivers one message; returns its event. */
  async function deliverThrough(header: string | Buffer, localAddress = '127.0.0.1') {
    const client = await RawSmtpClient.open(port, { localAddress });
    client.write(Buffer.concat([Buffer.from(header), Buffer.from('EHLO proxied.test\r\n')]));
    expect(await client.reply()).toBe('220 mx.example.test ESMTP');
    expect(await client.reply()).toMatch(/^250-mx\.example\.test Hello proxied\.test/);
    expect(await client.command('MAIL FROM:<alice@crepes.fr>')).toBe('250 2.1.0 Sender ok');
    expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
    expect(await client.command('DATA')).toMatch(/^354 /);
    const queueId = /queued as (\S+)$/.exec(await client.command('Subject: proxied\r\n\r\nhello\r\n.'))?.[1];
    client.close();
    return ingress.eventOf(queueId);
  }

  /** Expects the server to close the connection having sent nothing (or only what `expected` says). */
  async function expectSilentClose(client: RawSmtpClient, expected = ''): Promise<void> {
    await client.closed;
    expect(client.pending).toBe(expected);
  }

  beforeAll(async () => {
    ingress = await startIngressStack({
      PROXY_PROTOCOL_TRUSTED: '127.0.0.1/32, ::1',
      PROXY_PROTOCOL_TIMEOUT: '1s',
      SMTP_MAX_CONNECTIONS_PER_IP: '2',
      SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true',
    });
    port = ingress.stack.smtpPort;
    // Stands in for spam-filter to see which IP the session asks about
    screening = await Bus.connect({ url: testNatsUrl, name: 'screening-recorder', namespace: ingress.stack.env['NATS_NAMESPACE'] ?? '', log: silent });
    screening.serve(Requests.screenClient, async ({ clientIp }) => {
      screened.push(clientIp);
      return { action: 'accept' as const, score: 0, reasons: [] };
    });
    await screening.flush();
  });
  afterAll(async () => {
    await screening?.close();
    await ingress?.stop();
  });

  it('takes the client from a v1 TCP4 header, with the first command in the same packet', async () => {
    const event = await deliverThrough(v1('192.0.2.55'));
    expect(event.session).toMatchObject({ clientIp: '192.0.2.55', clientPort: 40_000 });
    expect(event.traceHeaders[0]?.value).toMatch(/^from proxied\.test \(unknown \[192\.0\.2\.55\]\)/);
    await waitFor(() => screened.includes('192.0.2.55'), { description: 'a screening request for the real client' });
  });

  it('takes the client from a v2 header with TLVs and a CRC32C (IPv6)', async () => {
    const header = encodeProxyV2({
      source: { address: '2001:db8::55', port: 50_000, family: 'IPv6' },
      destination: { address: '2001:db8::25', port: 25, family: 'IPv6' },
      tlvs: [
        { type: Pp2Type.AUTHORITY, value: Buffer.from('mx.example.test') },
        { type: Pp2Type.UNIQUE_ID, value: Buffer.from('conn-1') },
      ],
      crc32c: true,
    });
    const event = await deliverThrough(header);
    expect(event.session).toMatchObject({ clientIp: '2001:db8::55', clientPort: 50_000 });
    expect(event.traceHeaders[0]?.value).toMatch(/\[IPv6:2001:db8::55\]\)/);
  });

  it('uses the connection itself for v2 LOCAL and v1 UNKNOWN (health checks)', async () => {
    expect((await deliverThrough(encodeProxyV2({ command: 'local' }))).session.clientIp).toBe('127.0.0.1');
    expect((await deliverThrough('PROXY UNKNOWN\r\n')).session.clientIp).toBe('127.0.0.1');
  });

  it('closes a trusted peer that sends no header, a broken one, or nothing in time, without a reply', async () => {
    const plain = await RawSmtpClient.open(port);
    plain.write('EHLO client.test\r\n');
    await expectSilentClose(plain);
    const broken = await RawSmtpClient.open(port);
    broken.write(Buffer.concat([V2_SIGNATURE, Buffer.from([0x22, 0x11, 0x00, 0x00])]));
    await expectSilentClose(broken);
    const silentPeer = await RawSmtpClient.open(port);
    const started = Date.now();
    await expectSilentClose(silentPeer);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const service = ingress.stack.services.get('smtp-ingress');
    await waitFor(() => /proxy-timeout.*trusted peer 127\.0\.0\.1 sent no valid PROXY header/.test(service?.output() ?? ''), { description: 'the timeout in the log' });
    expect(service?.output()).toMatch(/"reason":"proxy-invalid","detail":"no PROXY protocol header at the start of the connection"/);
    expect(service?.output()).toMatch(/"reason":"proxy-invalid","detail":"PROXY v2: unknown command 2"/);
  });

  it('never believes a header from an untrusted peer (v1 or v2) and closes', async () => {
    for (const header of [v1('192.0.2.66'), encodeProxyV2({ source: { address: '192.0.2.66', port: 1, family: 'IPv4' }, destination })]) {
      const client = await RawSmtpClient.open(port, { localAddress: '127.0.0.2' });
      expect(await client.reply()).toBe('220 mx.example.test ESMTP');
      client.write(Buffer.concat([Buffer.from(header), Buffer.from('EHLO spoofed.test\r\n')]));
      await expectSilentClose(client);
    }
    await waitFor(() => /PROXY header from untrusted peer 127\.0\.0\.2/.test(ingress.stack.services.get('smtp-ingress')?.output() ?? ''), { description: 'the refusal in the log' });
    // Without a header the untrusted peer is an ordinary client
    const event = await deliverThrough('', '127.0.0.2');
    expect(event.session.clientIp).toBe('127.0.0.2');
  });

  it('counts per-IP limits on the real client, not on the load balancer', async () => {
    const open = async (ip: string): Promise<RawSmtpClient> => {
      const client = await RawSmtpClient.open(port);
      client.write(v1(ip));
      return client;
    };
    const first = await open('192.0.2.77');
    const second = await open('192.0.2.77');
    expect(await first.reply()).toMatch(/^220 /);
    expect(await second.reply()).toMatch(/^220 /);
    const third = await open('192.0.2.77');
    expect(await third.reply()).toBe('421 4.7.0 Too many connections from your IP address, try again later');
    await third.closed;
    const other = await open('192.0.2.78');
    expect(await other.reply()).toMatch(/^220 /);
    for (const client of [first, second, other]) client.close();
  });

  it('allows plain-text AUTH (SUBMISSION_ALLOW_PLAINTEXT_AUTH) only to a real client on loopback', async () => {
    const submission = async (header: string): Promise<{ client: RawSmtpClient; ehlo: string }> => {
      const client = await RawSmtpClient.open(ingress.stack.submissionPort);
      client.write(header);
      expect(await client.reply()).toMatch(/^220 /);
      return { client, ehlo: await client.command('EHLO client.test') };
    };
    const plain = Buffer.from('\0bob@example.test\0hungry').toString('base64');
    const local = await submission('PROXY UNKNOWN\r\n');
    expect(local.ehlo).toMatch(/\n250 AUTH PLAIN LOGIN$/);
    expect(await local.client.command(`AUTH PLAIN ${plain}`)).toBe('235 2.7.0 Authentication successful');
    local.client.close();
    // Behind the load balancer the same TCP peer speaks for a remote client: no AUTH without TLS
    const remote = await submission(v1('192.0.2.1'));
    expect(remote.ehlo).toMatch(/^250-/);
    expect(remote.ehlo).not.toMatch(/AUTH/);
    expect(await remote.client.command(`AUTH PLAIN ${plain}`)).toMatch(/^538 5\.7\.11 /);
    remote.client.close();
  });
});
