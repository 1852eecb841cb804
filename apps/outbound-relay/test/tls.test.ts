/**
 * STARTTLS (RFC 3207) on the way out: opportunistic by default (any
 * certificate, EHLO again after the handshake), mandatory for the domains in
 * OUTBOUND_TLS_REQUIRED_DOMAINS (no STARTTLS or a certificate that does not
 * verify is a temporary failure). Certificates are made with openssl for the
 * test; the relay trusts the test CA through NODE_EXTRA_CA_CERTS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelayHarness, type RelayHarness } from './relay-harness';
import { makeCertificates } from './test-certificates';

describe('outbound-relay STARTTLS', () => {
  let h: RelayHarness;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relay-tls-'));
    const pem = await makeCertificates(dir, 'mx.secure.test');
    const hosts = { opportunistic: '127.0.0.2', mandatory: '127.0.0.3', secure: '127.0.0.4', strict: '127.0.0.5', broken: '127.0.0.6' } as const;
    h = await startRelayHarness(
      [
        { host: hosts.opportunistic, tls: pem.selfSigned },
        hosts.mandatory,
        { host: hosts.secure, tls: pem.signed },
        { host: hosts.strict, tls: pem.selfSigned },
        { host: hosts.broken, tls: { ...pem.selfSigned, maxVersion: 'TLSv1.1' } },
      ],
      { OUTBOUND_TLS_REQUIRED_DOMAINS: 'mandatory.test,secure.test,.strict.test', NODE_EXTRA_CA_CERTS: pem.caFile, OUTBOUND_RETRY_SCHEDULE: '30s' },
    );
    for (const [name, address] of Object.entries(hosts)) {
      h.dns.add(`${name}.test`, { type: 'MX', preference: 10, exchange: `mx.${name}.test` });
      h.dns.add(`mx.${name}.test`, { type: 'A', address });
    }
    h.dns.add('mail.strict.test', { type: 'MX', preference: 10, exchange: 'mx.strict.test' });
  });
  afterAll(async () => {
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('upgrades to TLS when offered, accepting any certificate, and says EHLO again', async () => {
    const queueId = await h.queue(['ann@opportunistic.test']);
    await h.waitForEvents(queueId, 1, 'delivered');
    const sink = h.sink('127.0.0.2');
    expect(sink.delivered().map((t) => [t.tls, t.rcptTo])).toEqual([[true, ['ann@opportunistic.test']]]);
    expect(sink.commands.map((c) => c.line.split(/[ :]/)[0])).toEqual(['EHLO', 'STARTTLS', 'EHLO', 'MAIL', 'RCPT', 'DATA']);
  });

  it('falls back to a connection in the clear when an opportunistic handshake fails (RFC 7435)', async () => {
    const queueId = await h.queue(['erin@broken.test']);
    await h.waitForEvents(queueId, 1, 'delivered');
    const sink = h.sink('127.0.0.6');
    expect(sink.delivered().map((t) => [t.tls, t.connectionId])).toEqual([[false, 2]]);
    expect(sink.commands.map((c) => `${c.connectionId} ${c.line.split(/[ :]/)[0]}`)).toEqual(['1 EHLO', '1 STARTTLS', '2 EHLO', '2 MAIL', '2 RCPT', '2 DATA']);
  });

  it('does not send to a domain that requires TLS when its server does not offer it', async () => {
    const queueId = await h.queue(['bob@mandatory.test']);
    const [event] = await h.waitForEvents(queueId, 1, 'deferred');
    expect(event?.detail).toMatch(/TLS is required for this destination and the server does not offer STARTTLS/);
    // It spoke to the server (that is how it learnt STARTTLS is not offered) but sent no transaction
    const verbs = h.sink('127.0.0.3').commands.map((c) => c.line.split(' ')[0]);
    expect(verbs).toContain('EHLO');
    expect(verbs).not.toContain('MAIL');
  });

  it('delivers to a domain that requires TLS over a verified certificate for the MX host', async () => {
    const queueId = await h.queue(['carol@secure.test']);
    await h.waitForEvents(queueId, 1, 'delivered');
    expect(
      h
        .sink('127.0.0.4')
        .delivered()
        .map((t) => t.tls),
    ).toEqual([true]);
  });

  it('does not send to a domain that requires TLS when the certificate does not verify (subdomain entry)', async () => {
    const queueId = await h.queue(['dave@mail.strict.test']);
    const [event] = await h.waitForEvents(queueId, 1, 'deferred');
    expect(event?.detail).toMatch(/TLS handshake failed/);
    expect(h.sink('127.0.0.5').transactions).toEqual([]);
  });
});
