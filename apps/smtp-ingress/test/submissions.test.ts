/**
 * Submissions (RFC 8314 §3.3: message submission over implicit TLS, port
 * 465) on SUBMISSIONS_PORT, against the real process: TLS from the first
 * byte, no STARTTLS in EHLO, AUTH before MAIL and relaying for authenticated
 * users only, as on the submission listener. swaks `--tlsc` and Python's
 * smtplib.SMTP_SSL as real clients; a PROXY header from a trusted load
 * balancer precedes the handshake; a plain-text client gets nothing, nor
 * does one that stalls its handshake; and the service refuses to start
 * with SUBMISSIONS_PORT but no certificate.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatProxyV1 } from '@mail/proxy-protocol';
import { LineClient, describeWithTools, externalTools, freePort, requireTools, startServiceProcess, swaks, waitFor } from '@mail/testing';
import { startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { RawSmtpClient, selfSignedCertificate } from './fixtures/tls-session';

const run = promisify(execFile);

describeWithTools([externalTools.openssl], 'smtp-ingress submissions (implicit TLS)', () => {
  let ingress: IngressStack;
  let certificate: ReturnType<typeof selfSignedCertificate>;
  let port: number;

  /** A TLS connection from the first byte, with the protocol negotiated; `header` (a PROXY header) is written in plain text before the handshake. */
  async function openImplicitTls(header?: string): Promise<{ client: RawSmtpClient; protocol: string | null }> {
    const client = await RawSmtpClient.open(port, { localAddress: header === undefined ? '127.0.0.1' : '127.0.0.2' });
    if (header !== undefined) client.write(header);
    const protocol = await client.startTls();
    return { client, protocol };
  }

  beforeAll(async () => {
    certificate = selfSignedCertificate('mx.example.test');
    port = await freePort();
    // 127.0.0.2 stands for the load balancer; the other tests connect from 127.0.0.1, which is not trusted
    ingress = await startIngressStack({
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      SUBMISSIONS_PORT: String(port),
      SUBMISSION_PROXY_PROTOCOL_TRUSTED: '127.0.0.2',
      SMTP_IDLE_TIMEOUT: '2s',
    });
  });
  afterAll(async () => {
    await ingress?.stop();
    certificate?.remove();
  });

  it('speaks TLS from the first byte, offers AUTH and no STARTTLS, and requires AUTH before MAIL', async () => {
    const { client, protocol } = await openImplicitTls();
    expect(protocol).toMatch(/^TLSv1\.[23]$/);
    expect(await client.reply()).toBe('220 mx.example.test ESMTP');
    const ehlo = await client.command('EHLO client.test');
    expect(ehlo).toMatch(/\n250 AUTH PLAIN LOGIN$/);
    expect(ehlo).not.toMatch(/STARTTLS/);
    expect(await client.command('STARTTLS')).toMatch(/^503 5\.5\.1 .*TLS already active/);
    expect(await client.command('MAIL FROM:<bob@example.test>')).toBe('530 5.7.0 Authentication required');
    expect(await client.command('QUIT')).toMatch(/^221 /);
    client.close();
  });

  it('submits with swaks --tlsc and AUTH PLAIN, relaying to another domain', async (context) => {
    requireTools(context, externalTools.swaks);
    const result = await swaks(
      ...['--port', String(port), '--tlsc', '--auth', 'PLAIN', '--auth-user', 'bob@example.test', '--auth-password', 'hungry'],
      ...['--from', 'bob@example.test', '--to', 'friend@elsewhere.test', '--header', 'Subject: swaks over 465', '--body', 'sent with swaks --tlsc'],
    );
    expect(result.transcript).toMatch(/<~\s+235 2\.7\.0 Authentication successful/);
    expect(result.transcript).not.toMatch(/<~\s+250-STARTTLS/);
    expect(result.code, result.transcript).toBe(0);
    const queueId = /<~\s+250 2\.0\.0 Ok: queued as (\S+)/.exec(result.transcript)?.[1];
    const event = await ingress.eventOf(queueId);
    // The event names the role: submission, over TLS
    expect(event.session).toMatchObject({ listener: 'submission', tls: true, authUser: 'bob@example.test' });
    expect(event.envelope.recipients).toEqual([{ address: 'friend@elsewhere.test', route: 'remote' }]);
    expect(event.traceHeaders[0]?.value).toMatch(/with ESMTPSA id /);
  });

  it('refuses to relay without AUTH (no open relay)', async (context) => {
    requireTools(context, externalTools.swaks);
    const result = await swaks('--port', String(port), '--tlsc', '--from', 'bob@example.test', '--to', 'someone@elsewhere.test');
    expect(result.code).not.toBe(0);
    expect(result.transcript).toMatch(/<~\*\s+530 5\.7\.0 Authentication required/);
  });

  it("logs in and sends with Python's smtplib.SMTP_SSL, to a local user", async (context) => {
    requireTools(context, externalTools.python3);
    const script = `
import json, smtplib, ssl, sys
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
with smtplib.SMTP_SSL("127.0.0.1", int(sys.argv[1]), context=ctx, timeout=20) as smtp:
    smtp.ehlo("python.test")
    features = sorted(smtp.esmtp_features)
    smtp.login("carol@example.test", "pickles")
    refused = smtp.sendmail("carol@example.test", ["bob@example.test"], b"Subject: from smtplib\\r\\n\\r\\nsent over 465\\r\\n")
    print(json.dumps({"features": features, "auth": smtp.esmtp_features.get("auth", ""), "refused": refused}))
`;
    const before = (await ingress.receivedEvents()).length;
    const { stdout } = await run('python3', ['-c', script, String(port)]);
    const outcome = JSON.parse(stdout) as { features: string[]; auth: string; refused: Record<string, unknown> };
    expect(outcome.features).not.toContain('starttls');
    expect(outcome.auth).toContain('PLAIN');
    expect(outcome.refused).toEqual({});
    const events = await ingress.waitForEvents(before + 1);
    expect(events.at(-1)?.session).toMatchObject({ listener: 'submission', tls: true, authUser: 'carol@example.test', helo: 'python.test' });
    expect(events.at(-1)?.envelope.recipients).toEqual([{ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test' }]);
  });

  it('takes the client from a PROXY header sent before the TLS handshake', async () => {
    const header = formatProxyV1({ address: '192.0.2.65', port: 40_465, family: 'IPv4' }, { address: '127.0.0.1', port: 465, family: 'IPv4' });
    const { client } = await openImplicitTls(header);
    expect(await client.reply()).toBe('220 mx.example.test ESMTP');
    expect(await client.command('EHLO proxied.test')).toMatch(/\n250 AUTH PLAIN LOGIN$/);
    expect(await client.command(`AUTH PLAIN ${Buffer.from('\0bob@example.test\0hungry').toString('base64')}`)).toMatch(/^235 /);
    expect(await client.command('MAIL FROM:<bob@example.test>')).toBe('250 2.1.0 Sender ok');
    expect(await client.command('RCPT TO:<carol@example.test>')).toBe('250 2.1.5 Recipient ok');
    expect(await client.command('DATA')).toMatch(/^354 /);
    const queueId = /queued as (\S+)$/.exec(await client.command('Subject: proxied\r\n\r\nhello\r\n.'))?.[1];
    client.close();
    expect((await ingress.eventOf(queueId)).session).toMatchObject({ listener: 'submission', tls: true, clientIp: '192.0.2.65', clientPort: 40_465 });
  });

  it('sends nothing in plain text: a client that does not speak TLS is closed, and others are still served', async () => {
    const plain = await LineClient.open(port);
    plain.send('EHLO plain.test');
    await plain.waitClosed();
    const { client } = await openImplicitTls();
    expect(await client.reply()).toBe('220 mx.example.test ESMTP');
    client.close();
    const metrics = await (await fetch(`http://127.0.0.1:${ingress.stack.services.get('smtp-ingress')?.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/mail_smtp_connections_refused_total\{listener="submissions",reason="tls-handshake"[^}]*\} [1-9]/);
  });

  it('drops a client that starts no TLS handshake once SMTP_IDLE_TIMEOUT passes, without a word', async () => {
    const silent = await RawSmtpClient.open(port);
    silent.write(Buffer.from([0x16, 0x03, 0x01])); // the first octets of a TLS record, and nothing more
    await silent.closed;
    expect(silent.pending).toBe('');
  });

  it('refuses to start with SUBMISSIONS_PORT but no certificate', async () => {
    const env = { ...ingress.stack.env, HTTP_PORT: '', SMTP_PORT: '0', SUBMISSION_PORT: '0', SUBMISSIONS_PORT: String(await freePort()), TLS_CERT_FILE: '', TLS_KEY_FILE: '' };
    const service = await startServiceProcess('smtp-ingress', env, { waitReady: false });
    expect(await service.exited).not.toBe(0);
    await waitFor(() => service.output().includes('SUBMISSIONS_PORT needs TLS_CERT_FILE and TLS_KEY_FILE'), { description: 'the start-up error' });
  });
});
