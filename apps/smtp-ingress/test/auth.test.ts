/**
 * AUTH on the submission listener against the real mailbox-store (RFC 4954,
 * RFC 4616): refused before STARTTLS, PLAIN with an initial response and by
 * continuation, LOGIN, wrong passwords, cancel, the sender-ownership rule,
 * the authenticated user in the session facts and Received:, nodemailer,
 * and the brute-force lock-out kept in Redis across a restart.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, externalTools } from '@mail/testing';
import nodemailer from 'nodemailer';
import { startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { base64, openAuthenticatedSession, openTlsSession, saslPlain } from './fixtures/submission-session';
import { RawSmtpClient, selfSignedCertificate } from './fixtures/tls-session';

describeWithTools([externalTools.openssl], 'smtp-ingress AUTH on submission', () => {
  let ingress: IngressStack;
  let certificate: ReturnType<typeof selfSignedCertificate>;
  let port: number;

  beforeAll(async () => {
    certificate = selfSignedCertificate('mx.example.test');
    ingress = await startIngressStack({
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      SMTP_AUTH_FAILURE_DELAY: '100ms',
      SMTP_AUTH_MAX_FAILURES_PER_USER: '3',
      SMTP_MAX_ERRORS: '50',
    });
    port = ingress.stack.submissionPort;
    const alias = await ingress.stack.mailctl('alias', 'add', 'sales@example.test', 'bob@example.test,carol@example.test');
    if (alias.code !== 0) throw new Error(`mailctl alias add: ${alias.stderr}`);
  });
  afterAll(async () => {
    await ingress?.stop();
    certificate?.remove();
  });

  it('offers no AUTH before STARTTLS: 538 5.7.11 for AUTH, 530 5.7.0 for MAIL', async () => {
    const client = await RawSmtpClient.open(port);
    await client.reply();
    const ehlo = await client.command('EHLO client.test');
    expect(ehlo).toMatch(/\n250 STARTTLS$/);
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await client.command(`AUTH PLAIN ${saslPlain('bob@example.test', 'hungry')}`)).toBe('538 5.7.11 Encryption required for requested authentication mechanism: issue STARTTLS first');
    expect(await client.command('MAIL FROM:<bob@example.test>')).toBe('530 5.7.0 Authentication required');
    client.close();
  });

  it('authenticates with PLAIN after STARTTLS and stamps the message ESMTPSA with the user', async () => {
    const { client, ehlo } = await openTlsSession(port);
    expect(ehlo).toMatch(/\n250 AUTH PLAIN LOGIN$/);
    expect(await client.command(`AUTH PLAIN ${saslPlain('bob@example.test', 'hungry')}`)).toBe('235 2.7.0 Authentication successful');
    expect(await client.command('MAIL FROM:<bob@example.test>')).toBe('250 2.1.0 Sender ok');
    expect(await client.command('RCPT TO:<carol@example.test>')).toBe('250 2.1.5 Recipient ok');
    expect(await client.command('DATA')).toMatch(/^354 /);
    const queueId = /queued as (\S+)$/.exec(await client.command('Subject: hello\r\n\r\nfrom bob\r\n.'))?.[1];
    client.close();
    const event = await ingress.eventOf(queueId);
    expect(event.session).toMatchObject({ listener: 'submission', tls: true, authUser: 'bob@example.test' });
    expect(event.traceHeaders[0]?.value).toMatch(/\tby mx\.example\.test with ESMTPSA id /);
  });

  it('authenticates with PLAIN by continuation and with LOGIN', async () => {
    const first = await openTlsSession(port);
    expect(await first.client.command('AUTH PLAIN')).toBe('334');
    expect(await first.client.command(saslPlain('carol@example.test', 'pickles'))).toBe('235 2.7.0 Authentication successful');
    first.client.close();
    const second = await openTlsSession(port);
    expect(await second.client.command('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6');
    expect(await second.client.command(base64('bob@example.test'))).toBe('334 UGFzc3dvcmQ6');
    expect(await second.client.command(base64('hungry'))).toBe('235 2.7.0 Authentication successful');
    second.client.close();
  });

  it('answers a wrong password with 535 5.7.8 after a delay, "*" with 501, and never logs the secrets', async () => {
    const { client } = await openTlsSession(port);
    const started = Date.now();
    expect(await client.command(`AUTH PLAIN ${saslPlain('bob@example.test', 'not-the-password')}`)).toBe('535 5.7.8 Authentication credentials invalid');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(await client.command('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6');
    expect(await client.command('*')).toBe('501 5.7.0 Authentication canceled');
    expect(await client.command('MAIL FROM:<bob@example.test>')).toBe('530 5.7.0 Authentication required');
    client.close();
    const log = ingress.stack.services.get('smtp-ingress')?.output() ?? '';
    expect(log).toMatch(/AUTH failed/);
    expect(log).not.toContain('not-the-password');
    expect(log).not.toContain(saslPlain('bob@example.test', 'not-the-password'));
  });

  it("refuses MAIL FROM an address the user does not own (553 5.7.1), and takes the user's aliases", async () => {
    const client = await openAuthenticatedSession(port, 'bob@example.test', 'hungry');
    expect(await client.command('MAIL FROM:<carol@example.test>')).toBe('553 5.7.1 Sender address <carol@example.test> not owned by user bob@example.test');
    expect(await client.command('MAIL FROM:<alice@crepes.fr>')).toMatch(/^553 5\.7\.1 /);
    expect(await client.command('MAIL FROM:<sales@example.test>')).toBe('250 2.1.0 Sender ok');
    client.close();
  });

  it('offers no AUTH on the inbound listener, even over TLS', async () => {
    const { client, ehlo } = await openTlsSession(ingress.stack.smtpPort);
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await client.command(`AUTH PLAIN ${saslPlain('bob@example.test', 'hungry')}`)).toBe('502 5.5.1 AUTH not available');
    client.close();
  });

  it('submits from nodemailer with STARTTLS and AUTH', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTLS: true,
      auth: { user: 'carol@example.test', pass: 'pickles' },
      tls: { rejectUnauthorized: false },
    });
    const info = await transport.sendMail({ from: 'carol@example.test', to: 'bob@example.test', subject: 'hi', text: 'from nodemailer' });
    transport.close();
    expect(info.accepted).toEqual(['bob@example.test']);
    const event = await ingress.eventOf(/queued as (\S+)/.exec(info.response)?.[1]);
    expect(event.session.authUser).toBe('carol@example.test');
  });

  it('locks a user out after repeated failures (454 4.7.0), in Redis, so a restart does not lift it', async () => {
    const { client } = await openTlsSession(port);
    for (let i = 0; i < 3; i++) expect(await client.command(`AUTH PLAIN ${saslPlain('carol@example.test', `guess-${i}`)}`)).toMatch(/^535 5\.7\.8 /);
    expect(await client.command(`AUTH PLAIN ${saslPlain('carol@example.test', 'pickles')}`)).toBe('454 4.7.0 Too many authentication failures, try again later');
    client.close();
    const ops = ingress.stack.services.get('smtp-ingress')?.opsPort;
    const metrics = await (await fetch(`http://127.0.0.1:${ops}/metrics`)).text();
    expect(metrics).toMatch(/mail_smtp_auth_attempts_total\{[^}]*result="locked"[^}]*\} 1/);
    expect(metrics).toMatch(/mail_smtp_auth_attempts_total\{[^}]*result="success"/);

    await ingress.stack.services.get('smtp-ingress')?.stop();
    await ingress.stack.start('smtp-ingress');
    const again = await openTlsSession(port);
    expect(await again.client.command(`AUTH PLAIN ${saslPlain('carol@example.test', 'pickles')}`)).toMatch(/^454 4\.7\.0 /);
    // Other users are not affected by carol's lock-out
    expect(await again.client.command(`AUTH PLAIN ${saslPlain('bob@example.test', 'hungry')}`)).toBe('235 2.7.0 Authentication successful');
    again.client.close();
  });
});
