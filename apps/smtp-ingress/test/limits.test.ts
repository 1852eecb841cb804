/**
 * The limits against real processes and the real Redis: per-IP open
 * connections counted across two replicas, connections per minute,
 * messages per connection, recipients per message, the session time limit,
 * the greeting pause that catches early talkers, and failing open when
 * Redis is unreachable. Each limit answers with its own code and text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServiceProcess, waitFor, type ServiceProcess } from '@mail/testing';
import { beginData, openSmtp, startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { RawSmtpClient } from './fixtures/tls-session';

describe('smtp-ingress limits', () => {
  let ingress: IngressStack;
  const extra: ServiceProcess[] = [];

  /** Another smtp-ingress process on the same NATS namespace, database and Redis, on ports of its own. */
  async function replica(env: Record<string, string> = {}): Promise<{ smtpPort: number; service: ServiceProcess }> {
    const smtpPort = await freePort();
    const service = await startServiceProcess('smtp-ingress', { ...ingress.stack.env, SMTP_PORT: String(smtpPort), SUBMISSION_PORT: String(await freePort()), ...env });
    extra.push(service);
    return { smtpPort, service };
  }

  beforeAll(async () => {
    ingress = await startIngressStack({
      SMTP_MAX_CONNECTIONS_PER_IP: '3',
      SMTP_MAX_MESSAGES_PER_CONNECTION: '2',
      SMTP_MAX_RECIPIENTS: '2',
      SMTP_GREET_PAUSE: '300ms',
    });
  });
  afterAll(async () => {
    await Promise.allSettled(extra.map((service) => service.stop()));
    await ingress?.stop();
  });

  it('refuses a client with too many open connections across replicas (421 4.7.0), until one closes', async () => {
    const other = await replica({ SMTP_MAX_CONNECTIONS_PER_IP: '3', SMTP_GREET_PAUSE: '0' });
    const held = [await openSmtp(ingress.stack.smtpPort), await openSmtp(ingress.stack.smtpPort), await openSmtp(other.smtpPort)];
    const refused = await RawSmtpClient.open(other.smtpPort);
    expect(await refused.reply()).toBe('421 4.7.0 Too many connections from your IP address, try again later');
    await refused.closed;
    held[0]?.close();
    const admitted = await waitFor(
      async () => {
        const client = await RawSmtpClient.open(other.smtpPort);
        const greeting = await client.reply();
        if (greeting.startsWith('220 ')) return client;
        client.close();
        return undefined;
      },
      { description: 'a slot to be released' },
    );
    admitted.close();
    for (const client of held) client.close();
    const metrics = await (await fetch(`http://127.0.0.1:${other.service.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/mail_smtp_connections_refused_total\{[^}]*reason="concurrency"[^}]*\} \d+/);
  });

  it('refuses a client past its connections per minute (421 4.7.0)', async () => {
    // A key prefix of its own: the connections of the other tests do not count here
    const limited = await replica({ SMTP_MAX_CONNECTION_RATE: '3', SMTP_GREET_PAUSE: '0', REDIS_KEY_PREFIX: `${ingress.stack.env['REDIS_KEY_PREFIX']}rate:` });
    for (let i = 0; i < 3; i++) {
      const client = await RawSmtpClient.open(limited.smtpPort);
      expect(await client.reply()).toMatch(/^220 /);
      client.close();
    }
    const refused = await RawSmtpClient.open(limited.smtpPort);
    expect(await refused.reply()).toBe('421 4.7.0 Too many connections per minute from your IP address, try again later');
    await refused.closed;
  });

  it('closes with 421 4.7.0 at MAIL after the messages one connection may send', async () => {
    const smtp = await openSmtp(ingress.stack.smtpPort);
    for (let i = 0; i < 2; i++) {
      await beginData(smtp);
      smtp.write(`Subject: ${i}\r\n\r\nmessage ${i}\r\n.\r\n`);
      expect((await smtp.readSmtpReply()).code).toBe(250);
    }
    expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr>')).text).toBe('421 4.7.0 mx.example.test Message limit per connection reached (2), closing connection; reconnect to send more');
    await smtp.waitClosed();
  });

  it('answers 452 4.5.3 past the recipients of one message', async () => {
    const smtp = await openSmtp(ingress.stack.smtpPort);
    await smtp.smtp('MAIL FROM:<alice@crepes.fr>');
    expect((await smtp.smtp('RCPT TO:<bob@example.test>')).code).toBe(250);
    expect((await smtp.smtp('RCPT TO:<carol@example.test>')).code).toBe(250);
    expect((await smtp.smtp('RCPT TO:<postmaster@example.test>')).text).toBe('452 4.5.3 Too many recipients');
    smtp.close();
  });

  it('refuses a client that talks before the greeting (554 5.5.1) and greets a patient one', async () => {
    const early = await RawSmtpClient.open(ingress.stack.smtpPort);
    early.write('EHLO eager.test\r\n');
    expect(await early.reply()).toBe('554 5.5.1 mx.example.test Protocol error: data sent before the greeting');
    await early.closed;
    const patient = await RawSmtpClient.open(ingress.stack.smtpPort);
    const started = Date.now();
    expect(await patient.reply()).toBe('220 mx.example.test ESMTP');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    patient.close();
    const ops = ingress.stack.services.get('smtp-ingress')?.opsPort;
    expect(await (await fetch(`http://127.0.0.1:${ops}/metrics`)).text()).toMatch(/mail_smtp_connections_refused_total\{[^}]*reason="early-talker"/);
  });

  it('ends a session at its time limit with 421 4.4.2', async () => {
    const limited = await replica({ SMTP_SESSION_TIMEOUT: '1s', SMTP_GREET_PAUSE: '0' });
    const smtp = await openSmtp(limited.smtpPort);
    expect((await smtp.smtp('NOOP')).code).toBe(250);
    expect((await smtp.readSmtpReply()).text).toBe('421 4.4.2 mx.example.test Session time limit reached, closing connection');
    await smtp.waitClosed();
  });

  it('admits clients when Redis is unreachable (fail open) and says so', async () => {
    const unreachable = await replica({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, SMTP_GREET_PAUSE: '0' });
    const smtp = await openSmtp(unreachable.smtpPort);
    expect((await smtp.smtp('NOOP')).code).toBe(250);
    smtp.close();
    await waitFor(() => /connection limits unavailable \(Redis\); admitting without counting/.test(unreachable.service.output()), { description: 'the fail-open warning' });
    // Ready all the same (the catalog says smtp-ingress fails open on Redis); /readyz names Redis as degraded
    const readyz = await fetch(`http://127.0.0.1:${unreachable.service.opsPort}/readyz`);
    expect(readyz.status).toBe(200);
    expect(((await readyz.json()) as { degraded?: Record<string, string> }).degraded?.['redis']).toBeDefined();
  });
});
