/**
 * POP3S (implicit TLS, RFC 8314 §3.3) on POP3S_PORT next to the plain
 * listener: TLS from the first byte, no STLS offered, passwords accepted
 * although plaintext authentication is off, messages intact; Python's
 * POP3_SSL and curl's pop3s:// as real clients. Refuses to start without a
 * certificate.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient, externalTools, freePort, requireTools, startServiceProcess, waitFor } from '@mail/testing';
import { command, openPop3 } from './fixtures/pop3-dialogue';
import { dottedMessage } from './fixtures/messages';
import { createPop3World, type Pop3World } from './fixtures/pop3-world';
import { TlsLines, selfSignedCertificate } from './fixtures/tls-client';

const run = promisify(execFile);

describe('POP3S', () => {
  let world: Pop3World;
  let certificate: Awaited<ReturnType<typeof selfSignedCertificate>>;
  let plainPort: number;
  let securePort: number;
  const user = 'rita@example.test';

  beforeAll(async () => {
    certificate = await selfSignedCertificate('pop.example.test');
    world = await createPop3World('pop3_pop3s');
    securePort = await freePort();
    const pop3 = await world.startPop3({
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      POP3S_PORT: String(securePort),
      POP3_ALLOW_PLAINTEXT_AUTH: 'false',
    });
    plainPort = pop3.port;
    await world.addUser(user, 'hungry');
    await world.deliver(user, dottedMessage);
  });
  afterAll(async () => {
    await world?.cleanup();
    await certificate?.remove();
  });

  it('speaks TLS from the first byte, offers no STLS, and takes passwords', async () => {
    const tls = await TlsLines.connect(securePort);
    expect(tls.socket.getProtocol()).toMatch(/^TLSv1\.[23]$/);
    expect(await tls.readLine()).toBe('+OK pop.example.test POP3 server ready');
    expect(await tls.command('CAPA')).toBe('+OK Capability list follows');
    const capa = (await tls.readUntil('\r\n.\r\n')).toString().split('\r\n');
    expect(capa).toEqual(expect.arrayContaining(['USER', 'SASL PLAIN', 'EXPIRE NEVER']));
    expect(capa).not.toContain('STLS');
    expect(await tls.command('STLS')).toBe('-ERR command not permitted when TLS active');
    expect(await tls.command(`USER ${user}`)).toBe('+OK send PASS');
    expect(await tls.command('PASS hungry')).toBe(`+OK maildrop has 1 message (${dottedMessage.length} octets)`);
    expect(await tls.command('RETR 1')).toBe(`+OK ${dottedMessage.length} octets`);
    expect((await tls.readUntil('\r\n.\r\n')).toString('latin1')).toContain('\r\n..\r\n..foo\r\n..\r\n.\r\n');
    expect(await tls.command('QUIT')).toMatch(/^\+OK/);
    tls.close();
  });

  it('keeps the plain listener, where passwords wait for STLS', async () => {
    const { client } = await openPop3(plainPort);
    expect(await command(client, `USER ${user}`)).toMatch(/^-ERR \[AUTH\] plaintext authentication disallowed/);
    client.close();
  });

  it('drops a client that does not speak TLS, and keeps serving others', async () => {
    const plain = await LineClient.open(securePort);
    plain.send('USER rita@example.test');
    await plain.waitClosed();
    const tls = await TlsLines.connect(securePort);
    expect(await tls.readLine()).toMatch(/^\+OK/);
    tls.close();
  });

  it("is read by Python's POP3_SSL and curl's pop3s://", async (context) => {
    requireTools(context, externalTools.python3, externalTools.curl);
    const script = `
import poplib, ssl, sys
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
pop = poplib.POP3_SSL("127.0.0.1", int(sys.argv[1]), context=ctx, timeout=20)
pop.user(sys.argv[2])
pop.pass_(sys.argv[3])
sys.stdout.buffer.write(b"\\r\\n".join(pop.retr(1)[1]) + b"\\r\\n")
pop.quit()
`;
    const python3 = await run('python3', ['-c', script, String(securePort), user, 'hungry'], { encoding: 'buffer' });
    expect(python3.stdout.equals(dottedMessage)).toBe(true);
    const curl = await run('curl', ['-sS', '-k', '--max-time', '20', '-u', `${user}:hungry`, `pop3s://127.0.0.1:${securePort}/1`], { encoding: 'buffer' });
    expect(curl.stdout.equals(dottedMessage)).toBe(true);
  });

  it('refuses to start with POP3S_PORT but no certificate', async () => {
    const service = await startServiceProcess('pop3-server', { ...world.env, POP3_PORT: '0', POP3S_PORT: String(await freePort()) }, { waitReady: false });
    expect(await service.exited).not.toBe(0);
    await waitFor(() => service.output().includes('POP3S_PORT needs TLS_CERT_FILE and TLS_KEY_FILE'), { description: 'the start-up error' });
  });
});
