/**
 * STARTTLS (RFC 3207) against the real process with a self-signed
 * certificate made by openssl: the upgrade, the discarded plain-text
 * pipelining, the reset to before EHLO, TLS in the session facts and
 * Received:, and nodemailer's requireTLS path.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, externalTools } from '@mail/testing';
import nodemailer from 'nodemailer';
import { startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { RawSmtpClient, selfSignedCertificate } from './fixtures/tls-session';

describeWithTools([externalTools.openssl], 'smtp-ingress STARTTLS', () => {
  let ingress: IngressStack;
  let certificate: ReturnType<typeof selfSignedCertificate>;

  beforeAll(async () => {
    certificate = selfSignedCertificate('mx.example.test');
    ingress = await startIngressStack({ TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile, SMTP_IDLE_TIMEOUT: '3s' });
  });
  afterAll(async () => {
    await ingress?.stop();
    certificate?.remove();
  });

  it('upgrades, drops plain text pipelined after STARTTLS, and starts over from before EHLO', async () => {
    const client = await RawSmtpClient.open(ingress.stack.smtpPort);
    expect(await client.reply()).toBe('220 mx.example.test ESMTP');
    expect(await client.command('EHLO client.test')).toMatch(/\n250 STARTTLS$/);
    // RFC 3207 §6: an attacker's command injected after STARTTLS must not run
    client.write('STARTTLS\r\nMAIL FROM:<injected@attacker.test>\r\n');
    expect(await client.reply()).toBe('220 2.0.0 Ready to start TLS');
    expect(await client.startTls()).toMatch(/^TLSv1\.[23]$/);
    expect(await client.command('MAIL FROM:<alice@crepes.fr>')).toBe('503 5.5.1 Bad sequence of commands: send HELO or EHLO first');
    const ehlo = await client.command('EHLO client.test');
    expect(ehlo).toMatch(/^250-mx\.example\.test Hello client\.test\n/);
    expect(ehlo).not.toMatch(/STARTTLS/);
    expect(await client.command('STARTTLS')).toBe('503 5.5.1 Bad sequence of commands: TLS already active');
    expect(await client.command('MAIL FROM:<alice@crepes.fr>')).toBe('250 2.1.0 Sender ok');
    expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
    expect(await client.command('DATA')).toMatch(/^354 /);
    const accepted = await client.command('Subject: secret\r\n\r\nover TLS\r\n.');
    const queueId = /queued as (\S+)$/.exec(accepted)?.[1];
    expect(queueId, accepted).toBeDefined();
    client.close();
    const event = (await ingress.receivedEvents()).find((e) => e.queueId === queueId);
    expect(event?.session.tls).toBe(true);
    expect(event?.traceHeaders[0]?.value).toMatch(/\tby mx\.example\.test with ESMTPS id /);
  });

  it('drops a client that sends STARTTLS and then no handshake once SMTP_IDLE_TIMEOUT passes', async () => {
    const silent = await RawSmtpClient.open(ingress.stack.smtpPort);
    expect(await silent.reply()).toBe('220 mx.example.test ESMTP');
    expect(await silent.command('EHLO client.test')).toMatch(/\n250 STARTTLS$/);
    expect(await silent.command('STARTTLS')).toBe('220 2.0.0 Ready to start TLS');
    silent.write(Buffer.from([0x16, 0x03, 0x01])); // the first octets of a TLS record, and nothing more
    await silent.closed;
    expect(silent.pending).toBe('');
  });

  it('delivers from nodemailer with requireTLS', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: ingress.stack.smtpPort,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    });
    const info = await transport.sendMail({ from: 'alice@crepes.fr', to: 'carol@example.test', subject: 'tls', text: 'hello over TLS' });
    transport.close();
    expect(info.accepted).toEqual(['carol@example.test']);
  });
});
