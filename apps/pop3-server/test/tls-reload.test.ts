/**
 * A renewed certificate is served without a restart (issue 17), on STLS
 * (RFC 2595 §4) and POP3S (RFC 8314 §3.3): with certificate A in service, a
 * session logged in over STLS and one over POP3S stay open while the files
 * are replaced with certificate B — renamed over the old files on one
 * pop3-server, swapped in as the kubelet updates a Secret volume (the
 * `..data` symlink) on another — until new STLS and POP3S connections
 * present B; the first sessions then still read their maildrops. A broken
 * pair (B's certificate with another key) is refused, counted on /metrics,
 * and B stays in service.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TlsFilesDirectory, describeWithTools, externalTools, freePort, selfSignedPem, waitFor, type PemCertificate, type ServiceProcess, type TlsFilesLayout } from '@mail/testing';
import { command, openPop3 } from './fixtures/pop3-dialogue';
import { dottedMessage } from './fixtures/messages';
import { createPop3World, type Pop3World } from './fixtures/pop3-world';
import { TlsLines } from './fixtures/tls-client';

const layouts = ['renamed-files', 'kubernetes-secret'] as const;

describeWithTools([externalTools.openssl], 'TLS reload on STLS and POP3S', () => {
  let world: Pop3World;
  let a: PemCertificate;
  let b: PemCertificate;
  let other: PemCertificate;
  const served = new Map<TlsFilesLayout, { files: TlsFilesDirectory; port: number; securePort: number; service: ServiceProcess }>();

  beforeAll(async () => {
    [a, b, other] = await Promise.all([selfSignedPem('pop.example.test'), selfSignedPem('pop.example.test'), selfSignedPem('pop.example.test')]);
    world = await createPop3World('pop3_tls_reload');
    for (const layout of layouts) {
      const files = await TlsFilesDirectory.create(a, layout);
      const securePort = await freePort();
      // An interval past the test's deadlines: the directory watch must see each change
      const { port, service } = await world.startPop3({ TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: files.keyFile, TLS_RELOAD_INTERVAL: '1h', POP3S_PORT: String(securePort) });
      served.set(layout, { files, port, securePort, service });
      for (const user of [`stls-${layout}@example.test`, `pop3s-${layout}@example.test`]) {
        await world.addUser(user, 'hungry');
        await world.deliver(user, dottedMessage);
      }
    }
  });
  afterAll(async () => {
    await world?.cleanup();
    for (const { files } of served.values()) await files.remove();
  });

  async function stls(port: number): Promise<TlsLines> {
    const { client } = await openPop3(port);
    expect(await command(client, 'STLS')).toBe('+OK begin TLS negotiation');
    return TlsLines.upgrade(client);
  }

  const fingerprint = (tls: TlsLines): string => tls.socket.getPeerCertificate().fingerprint256;

  /** Whether a new connection of each kind is shown `expected` (each connection closed at once). */
  async function newConnectionsSee(port: number, securePort: number, expected: PemCertificate): Promise<boolean> {
    const upgraded = await stls(port);
    const implicit = await TlsLines.connect(securePort);
    const seen = [fingerprint(upgraded), fingerprint(implicit)];
    upgraded.close();
    implicit.close();
    return seen.every((print) => print === expected.fingerprint256);
  }

  /** The sum of the series of `name` on the service's /metrics whose labels include `labels`. */
  async function metric(service: ServiceProcess, name: string, labels = ''): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
    const series = text.split('\n').filter((line) => line.startsWith(`${name}{`) && line.includes(labels));
    return series.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  it.each(layouts)('serves the replaced certificate to new connections while open sessions carry on (%s)', async (layout) => {
    const listener = served.get(layout);
    if (listener === undefined) throw new Error(`no listener for ${layout}`);
    const { files, port, securePort, service } = listener;
    const upgraded = await stls(port);
    const implicit = await TlsLines.connect(securePort);
    expect(await implicit.readLine()).toBe('+OK pop.example.test POP3 server ready');
    expect([fingerprint(upgraded), fingerprint(implicit)]).toEqual([a.fingerprint256, a.fingerprint256]);
    for (const [tls, user] of [
      [upgraded, `stls-${layout}@example.test`],
      [implicit, `pop3s-${layout}@example.test`],
    ] as const) {
      expect(await tls.command(`USER ${user}`)).toBe('+OK send PASS');
      expect(await tls.command('PASS hungry')).toMatch(/^\+OK maildrop has 1 message/);
    }

    await files.replace(b);
    await waitFor(() => newConnectionsSee(port, securePort, b), { timeoutMs: 15_000, intervalMs: 200, description: 'STLS and POP3S presenting the new certificate' });

    // The sessions that negotiated with A are untouched: they still read their maildrops
    for (const tls of [upgraded, implicit]) {
      expect(await tls.command('RETR 1')).toBe(`+OK ${dottedMessage.length} octets`);
      expect((await tls.readUntil('\r\n.\r\n')).toString('latin1')).toContain('\r\n..\r\n..foo\r\n..\r\n.\r\n');
      expect(await tls.command('QUIT')).toMatch(/^\+OK/);
      tls.close();
    }

    // A broken pair (B's certificate, another key) is refused and B stays in service
    const refusedBefore = await metric(service, 'mail_tls_reloads_total', 'outcome="refused"');
    await files.replace({ cert: b.cert, key: other.key });
    await waitFor(async () => (await metric(service, 'mail_tls_reloads_total', 'outcome="refused"')) > refusedBefore, { timeoutMs: 15_000, intervalMs: 200, description: 'the broken pair refused' });
    expect(service.output()).toContain('TLS files changed but cannot be used; still serving the previous certificate');
    expect(await newConnectionsSee(port, securePort, b)).toBe(true);
    // Clients that left right after their handshake end their sessions too
    await waitFor(async () => (await metric(service, 'mail_pop3_sessions_active')) === 0, { timeoutMs: 10_000, description: 'no session left open' });
  });
});
