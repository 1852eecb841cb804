/**
 * Delivery through a smarthost (OUTBOUND_RELAY_HOST): every message goes to
 * the one host, whatever the recipients' domains, over STARTTLS with a
 * certificate verified against OUTBOUND_RELAY_TLS_CA_FILE and with AUTH
 * (RFC 4954); or over implicit TLS (RFC 8314) with AUTH LOGIN. A smarthost
 * that does not offer STARTTLS gets no credentials and no mail, a refused
 * password defers the mail with the smarthost's reply, and a 5xx for a
 * recipient bounces it as any remote server's would.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelayHarness, type RelayHarness } from './relay-harness';
import { makeCertificates, type Pem } from './test-certificates';

const credentials = { user: 'relay@origin.test', password: 's3cret pass' };
const base64Password = Buffer.from(credentials.password).toString('base64');

describe('outbound-relay through a smarthost', () => {
  let dir: string;
  let pem: { caFile: string; signed: Pem };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relay-smarthost-'));
    pem = await makeCertificates(dir, 'smarthost.test');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('with STARTTLS and AUTH', () => {
    let h: RelayHarness;
    let passwordFile: string;

    beforeAll(async () => {
      passwordFile = join(dir, 'password');
      await writeFile(passwordFile, `${credentials.password}\n`);
      h = await startRelayHarness([{ host: '127.0.0.2', tls: pem.signed, auth: credentials }, '127.0.0.3'], (port) => ({
        OUTBOUND_RELAY_HOST: `[smarthost.test]:${port}`,
        OUTBOUND_RELAY_USERNAME: credentials.user,
        OUTBOUND_RELAY_PASSWORD_FILE: passwordFile,
        OUTBOUND_RELAY_TLS_CA_FILE: pem.caFile,
        OUTBOUND_RETRY_SCHEDULE: '1h',
        // Each test opens its own session: a pooled one would skip the checks under test
        OUTBOUND_CONNECTION_IDLE: '0',
      }));
      h.dns.add('smarthost.test', { type: 'A', address: '127.0.0.2' });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('relays mail for every domain to the smarthost, authenticated over verified TLS', async () => {
      // The recipients' own MX (127.0.0.3) must not be used
      h.dns.add('elsewhere.test', { type: 'MX', preference: 10, exchange: 'mx.elsewhere.test' });
      h.dns.add('mx.elsewhere.test', { type: 'A', address: '127.0.0.3' });
      const queueId = await h.queue(['ann@elsewhere.test', 'bob@nowhere.test']);
      await h.waitForEvents(queueId, 2, 'delivered');
      const sent = h.sink('127.0.0.2').delivered();
      expect(sent.map((t) => ({ tls: t.tls, user: t.authenticatedAs, to: t.rcptTo }))).toEqual([{ tls: true, user: credentials.user, to: ['ann@elsewhere.test', 'bob@nowhere.test'] }]);
      expect(h.sink('127.0.0.3').connectionCount).toBe(0);
      const verbs = h.sink('127.0.0.2').commands.map((c) => c.line.split(/[ :]/)[0]);
      expect(verbs.slice(0, 4)).toEqual(['EHLO', 'STARTTLS', 'EHLO', 'AUTH']);
    });

    it('bounces a recipient the smarthost refuses with 5xx, and defers one it refuses with 4xx', async () => {
      h.sink('127.0.0.2').setBehaviour({ rcpt: { 'gone@elsewhere.test': { code: 550, enhanced: '5.1.1', text: 'No such user' }, 'later@elsewhere.test': 451 } });
      const queueId = await h.queue(['gone@elsewhere.test', 'later@elsewhere.test']);
      const [bounced] = await h.waitForEvents(queueId, 1, 'bounced');
      const [deferred] = await h.waitForEvents(queueId, 1, 'deferred');
      expect(bounced?.detail).toMatch(/smarthost\.test\[127\.0\.0\.2\] said: 550 5\.1\.1 No such user/);
      expect(deferred?.recipient).toBe('later@elsewhere.test');
      h.sink('127.0.0.2').setBehaviour({ rcpt: {} });
    });

    it('defers with the smarthost reply when it refuses the password', async () => {
      await writeFile(passwordFile, 'wrong password\n');
      const queueId = await h.queue(['carol@elsewhere.test']);
      const [event] = await h.waitForEvents(queueId, 1, 'deferred');
      expect(event?.detail).toMatch(/smarthost\.test\[127\.0\.0\.2\]:\d+: auth refused: 535 5\.7\.8 Authentication credentials invalid/);
      const show = await h.mailctl('queue', 'show', queueId);
      expect(show.stdout).toMatch(/535 5\.7\.8 Authentication credentials invalid/);
      await writeFile(passwordFile, `${credentials.password}\n`);
    });

    it('sends neither credentials nor mail to a smarthost that does not offer STARTTLS', async () => {
      const sink = h.sink('127.0.0.2');
      sink.setBehaviour({ starttls: false });
      const before = sink.commands.length;
      const queueId = await h.queue(['dave@elsewhere.test']);
      const [event] = await h.waitForEvents(queueId, 1, 'deferred');
      expect(event?.detail).toMatch(/TLS is required for this destination and the server does not offer STARTTLS/);
      const lines = sink.commands.slice(before).map((c) => c.line);
      expect(lines.map((line) => line.split(' ')[0])).toEqual(['EHLO', 'QUIT']);
      expect(lines.join('\n')).not.toContain(base64Password);
      sink.setBehaviour({ starttls: true });
    });
  });

  describe('with implicit TLS and AUTH LOGIN', () => {
    let h: RelayHarness;

    beforeAll(async () => {
      h = await startRelayHarness([{ host: '127.0.0.2', tls: pem.signed, implicitTls: true, auth: { ...credentials, mechanisms: ['LOGIN'] } }], (port) => ({
        // A plain host: looked up as a mail domain (no MX records here, so its own address)
        OUTBOUND_RELAY_HOST: `smarthost.test:${port}`,
        OUTBOUND_RELAY_USERNAME: credentials.user,
        OUTBOUND_RELAY_PASSWORD: credentials.password,
        OUTBOUND_RELAY_TLS: 'implicit',
        OUTBOUND_RELAY_TLS_CA_FILE: pem.caFile,
      }));
      h.dns.add('smarthost.test', { type: 'A', address: '127.0.0.2' });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('speaks TLS from the first octet and logs in with LOGIN', async () => {
      const queueId = await h.queue(['erin@elsewhere.test']);
      await h.waitForEvents(queueId, 1, 'delivered');
      const sink = h.sink('127.0.0.2');
      expect(sink.delivered().map((t) => [t.tls, t.authenticatedAs])).toEqual([[true, credentials.user]]);
      expect(sink.commands.map((c) => c.line.split(' ')[0]).slice(0, 2)).toEqual(['EHLO', 'AUTH']);
    });
  });
});
