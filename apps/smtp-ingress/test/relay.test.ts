/**
 * Relaying with the real spam-filter routing the message: an authenticated
 * submission to a foreign domain is accepted with route `remote` and
 * arrives on the OUTBOUND stream as `mail.v1.outbound.queued`, while the
 * inbound listener refuses the same recipient (550 5.7.1, no open relay).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Events, OutboundQueued, Streams } from '@mail/contracts';
import { describeWithTools, externalTools, waitFor } from '@mail/testing';
import { openSmtp, startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { openAuthenticatedSession } from './fixtures/submission-session';
import { selfSignedCertificate } from './fixtures/tls-session';

describeWithTools([externalTools.openssl], 'smtp-ingress relaying', () => {
  let ingress: IngressStack;
  let certificate: ReturnType<typeof selfSignedCertificate>;

  /** Every `outbound.queued` event so far. */
  async function queued(): Promise<OutboundQueued[]> {
    const { bus } = ingress;
    const stream = bus.ns.streamName(Streams.outbound);
    const subject = bus.ns.eventSubject(Events.outboundQueued);
    const { state } = await bus.jsm.streams.info(stream);
    const events: OutboundQueued[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const message = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message?.subject === subject) events.push(OutboundQueued.parse(message.json()));
    }
    return events;
  }

  beforeAll(async () => {
    certificate = selfSignedCertificate('mx.example.test');
    ingress = await startIngressStack({ TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile }, ['spam-filter']);
  });
  afterAll(async () => {
    await ingress?.stop();
    certificate?.remove();
  });

  it('relays for an authenticated user: remote recipients reach the outbound queue, local ones stay local', async () => {
    const client = await openAuthenticatedSession(ingress.stack.submissionPort, 'bob@example.test', 'hungry');
    expect(await client.command('MAIL FROM:<bob@example.test>')).toBe('250 2.1.0 Sender ok');
    expect(await client.command('RCPT TO:<friend@elsewhere.test>')).toBe('250 2.1.5 Recipient ok');
    expect(await client.command('RCPT TO:<carol@example.test>')).toBe('250 2.1.5 Recipient ok');
    expect(await client.command('DATA')).toMatch(/^354 /);
    const queueId = /queued as (\S+)$/.exec(await client.command('Subject: out\r\n\r\nto the world\r\n.'))?.[1];
    client.close();

    const received = await ingress.eventOf(queueId);
    expect(received.envelope.recipients).toEqual([
      { address: 'friend@elsewhere.test', route: 'remote' },
      { address: 'carol@example.test', route: 'local', mailbox: 'carol@example.test' },
    ]);
    const outbound = await waitFor(async () => (await queued()).find((e) => e.queueId === queueId), {
      description: `outbound.queued for ${String(queueId)}`,
      timeoutMs: 20_000,
    });
    expect(outbound.envelope.mailFrom).toBe('bob@example.test');
    expect(outbound.envelope.recipients.map((r) => r.address)).toEqual(['friend@elsewhere.test']);
  });

  it('refuses the same recipient on the inbound listener (550 5.7.1) and queues nothing', async () => {
    const before = (await queued()).length;
    const smtp = await openSmtp(ingress.stack.smtpPort);
    expect((await smtp.smtp('MAIL FROM:<bob@example.test>')).code).toBe(250);
    expect((await smtp.smtp('RCPT TO:<friend@elsewhere.test>')).text).toBe('550 5.7.1 Relaying denied');
    smtp.close();
    expect(await queued()).toHaveLength(before);
  });
});
