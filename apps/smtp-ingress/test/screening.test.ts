/**
 * DNSBL screening during the session with the real spam-filter: its
 * DNSBL_ZONES point at the dns2 fixture, which lists 127.0.0.2 (the RFC 5782
 * §5 test address) in bl.example.test, and DNSBL_CHECK_PRIVATE lets it look
 * loopback clients up. A client connecting from 127.0.0.2 gets 554 5.7.1 for
 * every RCPT (postscreen-style enforcement); 127.0.0.1 is accepted; an
 * answer is reused for the client's next connections until its DNS TTL
 * runs out; when spam-filter does not answer (stopped, or too slow) the
 * session fails open.
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
    const metrics = await (await fetch(`http://127.0.0.1:${ingress.stack.services.get('smtp-ingress')?.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/mail_smtp_client_screening_total\{action="reject"[^}]*\} [1-9]/);
  });

  it('accepts a client that is not listed', async () => {
    const client = await openTransaction(port, '127.0.0.1');
    expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
    client.close();
  });

  it('asks spam-filter once per client address while the DNS TTL of its answer runs', async () => {
    // 127.0.0.7 listed with a 2 s TTL; 127.0.0.5 not listed (the zone's negative TTL, 60 s)
    ingress.stack.dns.add('7.0.0.127.bl.example.test', { type: 'A', address: '127.0.0.2', ttl: 2 });
    const asked: string[] = [];
    const subject = ingress.bus.ns.requestSubject(Requests.screenClient);
    const watcher = ingress.bus.nc.subscribe(subject, {
      callback: (_error, msg) => {
        asked.push(msg.json<{ clientIp: string }>().clientIp);
      },
    });
    await ingress.bus.flush();
    const rcpt = async (from: string) => {
      const client = await openTransaction(port, from);
      const reply = await client.command('RCPT TO:<bob@example.test>');
      client.close();
      return reply;
    };
    /** Connects from a fresh address and waits for its question: every question smtp-ingress asked before it has been seen. */
    let fresh = 30;
    const askedSoFar = async () => {
      const marker = `127.0.0.${fresh++}`;
      await rcpt(marker);
      await waitFor(() => asked.includes(marker), { description: `the question for ${marker}` });
      return asked.filter((ip) => !ip.startsWith('127.0.0.3'));
    };
    try {
      const refusal = '554 5.7.1 Service unavailable; client [127.0.0.7] blocked using bl.example.test';
      expect(await rcpt('127.0.0.5')).toBe('250 2.1.5 Recipient ok');
      expect(await rcpt('127.0.0.7')).toBe(refusal);
      expect(await rcpt('127.0.0.5')).toBe('250 2.1.5 Recipient ok');
      expect(await rcpt('127.0.0.7')).toBe(refusal);
      expect(await askedSoFar()).toEqual(['127.0.0.5', '127.0.0.7']);
      // Past the TTL the listed client is asked about again; the other one is not
      await waitFor(
        async () => {
          expect(await rcpt('127.0.0.7')).toBe(refusal);
          return (await askedSoFar()).length > 2;
        },
        { timeoutMs: 10_000, intervalMs: 500, description: '127.0.0.7 asked about again' },
      );
      expect(await rcpt('127.0.0.5')).toBe('250 2.1.5 Recipient ok');
      expect(await askedSoFar()).toEqual(['127.0.0.5', '127.0.0.7', '127.0.0.7']);
    } finally {
      watcher.unsubscribe();
    }
  });

  it('fails open when screening answers too late', async () => {
    await ingress.stack.services.get('spam-filter')?.stop();
    // A screening service that never answers: the session waits SMTP_SCREEN_TIMEOUT, then accepts
    const stalled = await Bus.connect({ url: testNatsUrl, name: 'stalled-screening', namespace: ingress.stack.env['NATS_NAMESPACE'] ?? '', log: silent });
    stalled.serve(Requests.screenClient, () => new Promise(() => undefined));
    await stalled.flush();
    try {
      // A listed address never screened before (an answer still holding would be reused)
      ingress.stack.dns.add('8.0.0.127.bl.example.test', { type: 'A', address: '127.0.0.2' });
      const client = await openTransaction(port, '127.0.0.8');
      expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
      client.close();
    } finally {
      await stalled.close();
    }
  });

  it('fails open at once when spam-filter is not running, and says so in the log and metrics', async () => {
    await ingress.stack.services.get('spam-filter')?.stop();
    ingress.stack.dns.add('9.0.0.127.bl.example.test', { type: 'A', address: '127.0.0.2' });
    const client = await openTransaction(port, '127.0.0.9');
    expect(await client.command('RCPT TO:<bob@example.test>')).toBe('250 2.1.5 Recipient ok');
    client.close();
    const service = ingress.stack.services.get('smtp-ingress');
    await waitFor(() => /DNSBL screening unavailable; accepting the client \(fail open\)/.test(service?.output() ?? ''), { description: 'the fail-open warning' });
    const metrics = await (await fetch(`http://127.0.0.1:${service?.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/mail_smtp_client_screening_total\{action="unavailable"[^}]*\} [1-9]/);
  });
});
