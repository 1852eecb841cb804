/**
 * A renewed certificate is served without a restart (issue 17): with
 * certificate A in service, a session completes STARTTLS (RFC 3207) and
 * stays open while the files are replaced with certificate B — renamed over
 * the old files, or swapped in as the kubelet updates a Secret volume (the
 * `..data` symlink) — until a new connection's STARTTLS presents B; the
 * first session then still delivers its message. A broken pair (B's
 * certificate with another key) is refused, counted on /metrics, and B stays
 * in service.
 */
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  TlsFilesDirectory,
  describeWithTools,
  externalTools,
  freePort,
  selfSignedPem,
  startServiceProcess,
  waitFor,
  type PemCertificate,
  type ServiceProcess,
  type TlsFilesLayout,
} from '@mail/testing';
import { startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { RawSmtpClient } from './fixtures/tls-session';

describeWithTools([externalTools.openssl], 'smtp-ingress TLS reload', () => {
  let ingress: IngressStack;
  let a: PemCertificate;
  let b: PemCertificate;
  let other: PemCertificate;
  /** Per layout: the files, and the smtp-ingress serving them (the stack's for renamed files, a second one for the Secret volume). */
  const served = new Map<TlsFilesLayout, { files: TlsFilesDirectory; port: number; service: ServiceProcess }>();

  beforeAll(async () => {
    [a, b, other] = await Promise.all([selfSignedPem('mx.example.test'), selfSignedPem('mx.example.test'), selfSignedPem('mx.example.test')]);
    const renamed = await TlsFilesDirectory.create(a, 'renamed-files');
    const secret = await TlsFilesDirectory.create(a, 'kubernetes-secret');
    // An interval past the test's deadlines: the directory watch must see each change
    const tlsEnv = (files: TlsFilesDirectory) => ({ TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: files.keyFile, TLS_RELOAD_INTERVAL: '1h' });
    ingress = await startIngressStack(tlsEnv(renamed));
    served.set('renamed-files', { files: renamed, port: ingress.stack.smtpPort, service: ingress.stack.services.get('smtp-ingress') as ServiceProcess });
    const [port, submissionPort] = [await freePort(), await freePort()];
    const service = await startServiceProcess('smtp-ingress', { ...ingress.stack.env, HTTP_PORT: '', SMTP_PORT: String(port), SUBMISSION_PORT: String(submissionPort), ...tlsEnv(secret) });
    served.set('kubernetes-secret', { files: secret, port, service });
  });
  afterAll(async () => {
    await served.get('kubernetes-secret')?.service.stop();
    await ingress?.stop();
    for (const { files } of served.values()) await files.remove();
  });

  /** A connection through EHLO and STARTTLS, with the fingerprint of the certificate it was shown. */
  async function startTlsSession(port: number): Promise<{ client: RawSmtpClient; fingerprint: string }> {
    const client = await RawSmtpClient.open(port);
    expect(await client.reply()).toMatch(/^220 /);
    expect(await client.command('EHLO client.test')).toMatch(/\n250 STARTTLS$/);
    expect(await client.command('STARTTLS')).toBe('220 2.0.0 Ready to start TLS');
    await client.startTls();
    return { client, fingerprint: (client.socket as TLSSocket).getPeerCertificate().fingerprint256 };
  }

  async function newSessionsSee(port: number, expected: PemCertificate): Promise<void> {
    await waitFor(
      async () => {
        const { client, fingerprint } = await startTlsSession(port);
        client.close();
        return fingerprint === expected.fingerprint256;
      },
      { timeoutMs: 15_000, intervalMs: 200, description: 'STARTTLS presenting the new certificate' },
    );
  }

  /** The sum of the series of `name` on the service's /metrics whose labels include `labels` (e.g. `outcome="refused"`). */
  async function metric(service: ServiceProcess, name: string, labels = ''): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
    const series = text.split('\n').filter((line) => line.startsWith(`${name}{`) && line.includes(labels));
    return series.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  it.each(['renamed-files', 'kubernetes-secret'] as const)('serves the replaced certificate to new sessions while the open one carries on (%s)', async (layout) => {
    const listener = served.get(layout);
    if (listener === undefined) throw new Error(`no listener for ${layout}`);
    const { files, port, service } = listener;
    const first = await startTlsSession(port);
    expect(first.fingerprint).toBe(a.fingerprint256);

    await files.replace(b);
    await newSessionsSee(port, b);

    // The session that negotiated with A is untouched: it still delivers
    expect(await first.client.command('EHLO client.test')).toMatch(/^250-/);
    expect(await first.client.command('MAIL FROM:<alice@crepes.fr>')).toBe('250 2.1.0 Sender ok');
    expect(await first.client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
    expect(await first.client.command('DATA')).toMatch(/^354 /);
    const accepted = await first.client.command(`Subject: across a renewal (${layout})\r\n\r\nsent over certificate A\r\n.`);
    const queueId = /queued as (\S+)$/.exec(accepted)?.[1];
    expect(queueId, accepted).toBeDefined();
    expect((await ingress.eventOf(queueId)).session.tls).toBe(true);
    expect(await first.client.command('QUIT')).toMatch(/^221 /);
    first.client.close();

    // A broken pair (B's certificate, another key) is refused and B stays in service
    const refusedBefore = await metric(service, 'mail_tls_reloads_total', 'outcome="refused"');
    await files.replace({ cert: b.cert, key: other.key });
    await waitFor(async () => (await metric(service, 'mail_tls_reloads_total', 'outcome="refused"')) > refusedBefore, { timeoutMs: 15_000, intervalMs: 200, description: 'the broken pair refused' });
    expect(service.output()).toContain('TLS files changed but cannot be used; still serving the previous certificate');
    const after = await startTlsSession(port);
    expect(after.fingerprint).toBe(b.fingerprint256);
    after.client.close();
    // Clients that left right after their handshake (before the server read their Finished) end their sessions too
    await waitFor(async () => (await metric(service, 'mail_smtp_sessions_active')) === 0, { timeoutMs: 10_000, description: 'no session left open' });
  });
});
