/**
 * DNSBL screening during the session with the real spam-filter: its
 * DNSBL_ZONES point at the dns2 fixture, which lists 127.0.0.2 (the RFC 5782
 * §5 test address) in bl.example.test, and DNSBL_CHECK_PRIVATE lets it look
 * loopback clients up. A client connecting from 127.0.0.2 gets 554 5.7.1 for
 * every RCPT (postscreen-style enforcement); 127.0.0.1 is accepted; when
 * spam-filter does not answer (stopped, or too slow) the session fails open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Requests } from '@mail/contracts';
import { testNatsUrl, waitFor } from '@mail/testing';
import { startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { RawSmtpClient } from './fixtures/tls-session';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Greeted, EHLO and MAIL done, from `localAddress`. */
async function openTransaction(port: number, localAddress: string): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.open(port, { localAddress });
  expect(await client.reply()).toMatch(/^220 /);
  expect(await client.command('EHLO client.test')).toMatch(/^250-/);
  expect(await client.command('MAIL FROM:<alice@crepes.fr>')).toBe('250 2.1.0 Sender ok');
  return client;
}

describe('smtp-ingress DNSBL screening', () => {
  let ingress: IngressStack;
  let port: number;

  beforeAll(async () => {
    ingress = await startIngressStack({ SMTP_SCREEN_TIMEOUT: '1500ms', SMTP_MAX_ERRORS: '50' });
    port = ingress.stack.smtpPort;
    // RFC 5782 §5: a DNSBL lists 127.0.0.2 and never 127.0.0.1; records first, so spam-filter's self-test passes
    ingress.stack.dns.add('2.0.0.127.bl.example.test', { type: 'A', address: '127.0.0.2' }, { type: 'TXT', text: 'listed for testing' });
    await ingress.stack.start('spam-filter', { DNSBL_ZONES: 'bl.example.test*10', DNSBL_CHECK_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await ingress?.stop();
  });

  it('refuses every RCPT of a listed client with 554 5.7.1 naming the list, and accepts no message', async () => {
    const before = (await ingress.receivedEvents()).length;
    const client = await openTransaction(port, '127.0.0.2');
    const refusal = '554 5.7.1 Service unavailable; client [127.0.0.2] blocked using bl.example.test';
    expect(await client.command('RCPT TO:<bob@example.test>')).toBe(refusal);
    expect(await client.command('RCPT TO:<carol@example.test>')).toBe(refusal);
    expect(await client.command('DATA')).toBe('503 5.5.1 Bad sequence of commands: send a valid RCPT TO first');
    expect(await client.command('QUIT')).toMatch(/^221 /);
    expect(await ingress.receivedEvents()).toHaveLength(before);
    // postscreen-style: the log names what the listed client tried
    const logged = await waitFor(
      () => /^.*"rcptTo":"carol@example.test".*"recipient refused: client is block-listed".*$/m.exec(ingress.stack.services.get('smtp-ingress')?.output() ?? '') ?? undefined,
      {
        description: 'the refused recipient in the log',
      },
    );
    expect(logged[0]).toMatch(/"mailFrom":"alice@crepes.fr"/);
  });

  it('accepts a client that is not listed', async () => {
    const client = await openTransaction(port, '127.0.0.1');
    expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
    client.close();
  });

  it('fails open when screening answers too late', async () => {
    await ingress.stack.services.get('spam-filter')?.stop();
    // A screening service that never answers: the session waits SMTP_SCREEN_TIMEOUT, then accepts
    const stalled = await Bus.connect({ url: testNatsUrl, name: 'stalled-screening', namespace: ingress.stack.env['NATS_NAMESPACE'] ?? '', log: silent });
    stalled.serve(Requests.screenClient, () => new Promise(() => undefined));
    await stalled.flush();
    try {
      const client = await openTransaction(port, '127.0.0.2');
      expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
      client.close();
    } finally {
      await stalled.close();
    }
  });

  it('fails open at once when spam-filter is not running, and says so in the log and metrics', async () => {
    const client = await openTransaction(port, '127.0.0.2');
    expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
    client.close();
    const service = ingress.stack.services.get('smtp-ingress');
    await waitFor(() => /DNSBL screening unavailable; accepting the client \(fail open\)/.test(service?.output() ?? ''), { description: 'the fail-open warning' });
    const metrics = await (await fetch(`http://127.0.0.1:${service?.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/mail_smtp_client_screening_total\{action="reject"[^}]*\} \d+/);
    expect(metrics).toMatch(/mail_smtp_client_screening_total\{action="unavailable"/);
  });
});
