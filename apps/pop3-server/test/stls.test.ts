/**
 * STLS (RFC 2595 §4) with a real certificate: offered only before TLS,
 * plaintext pipelined behind STLS is discarded, passwords wait for TLS when
 * POP3_ALLOW_PLAINTEXT_AUTH is false, and messages arrive intact over TLS.
 * Also Python's poplib, as a real client, over plain POP3 and STLS.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalTools, requireTools } from '@mail/testing';
import { command, openPop3 } from './fixtures/pop3-dialogue';
import { dottedMessage, messageOfSize } from './fixtures/messages';
import { createPop3World, type Pop3World } from './fixtures/pop3-world';
import { TlsLines, selfSignedCertificate } from './fixtures/tls-client';

const run = promisify(execFile);

describe('STLS and real clients', () => {
  let world: Pop3World;
  let certificate: Awaited<ReturnType<typeof selfSignedCertificate>>;
  let lenientPort: number;
  let strictPort: number;
  const user = 'quinn@example.test';

  beforeAll(async () => {
    certificate = await selfSignedCertificate('pop.example.test');
    world = await createPop3World('pop3_tls');
    const tlsEnv = { TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile };
    const [lenient, strict] = await Promise.all([world.startPop3(tlsEnv), world.startPop3({ ...tlsEnv, POP3_ALLOW_PLAINTEXT_AUTH: 'false' })]);
    lenientPort = lenient.port;
    strictPort = strict.port;
    await world.addUser(user, 'hungry');
    await world.deliver(user, dottedMessage);
    await world.deliver(user, messageOfSize('second', 2000));
  });
  afterAll(async () => {
    await world?.cleanup();
    await certificate?.remove();
  });

  async function capabilities(read: () => Promise<string>): Promise<string[]> {
    const lines: string[] = [];
    for (let line = await read(); line !== '.'; line = await read()) lines.push(line);
    return lines;
  }

  it('offers STLS, upgrades, then no longer offers it and serves the session over TLS', async () => {
    const { client } = await openPop3(lenientPort);
    expect(await command(client, 'CAPA')).toBe('+OK Capability list follows');
    expect(await capabilities(() => client.readLine())).toContain('STLS');
    expect(await command(client, 'STLS')).toBe('+OK begin TLS negotiation');
    const tls = await TlsLines.upgrade(client);
    expect(tls.socket.getProtocol()).toMatch(/^TLSv1\.[23]$/);
    expect(await tls.command('CAPA')).toMatch(/^\+OK/);
    const capa = await capabilities(() => tls.readLine());
    expect(capa).not.toContain('STLS');
    expect(capa).toEqual(expect.arrayContaining(['USER', 'SASL PLAIN', 'TOP', 'UIDL', 'PIPELINING', 'RESP-CODES']));
    expect(await tls.command('STLS')).toBe('-ERR command not permitted when TLS active');
    expect(await tls.command(`USER ${user}`)).toMatch(/^\+OK/);
    expect(await tls.command('PASS hungry')).toMatch(/^\+OK maildrop has 2 messages/);
    expect(await tls.command('RETR 1')).toBe(`+OK ${dottedMessage.length} octets`);
    expect((await tls.readUntil('\r\n.\r\n')).toString('latin1')).toContain('\r\n..\r\n..foo\r\n..\r\n.\r\n');
    expect(await tls.command('QUIT')).toMatch(/^\+OK/);
    tls.close();
  });

  it('discards commands pipelined in plain text behind STLS', async () => {
    const { client } = await openPop3(lenientPort);
    client.write(`STLS\r\nUSER ${user}\r\n`);
    expect(await client.readLine()).toBe('+OK begin TLS negotiation');
    const tls = await TlsLines.upgrade(client);
    // Had the injected USER been executed, PASS would log in.
    expect(await tls.command('PASS hungry')).toBe('-ERR PASS must follow USER');
    tls.close();
  });

  it('drops a connection whose TLS handshake fails, and keeps serving others', async () => {
    const { client } = await openPop3(lenientPort);
    expect(await command(client, 'STLS')).toBe('+OK begin TLS negotiation');
    client.write('USER this-is-no-client-hello\r\n');
    await client.waitClosed();
    const other = await openPop3(lenientPort);
    expect(await command(other.client, 'QUIT')).toMatch(/^\+OK/);
    other.client.close();
  });

  it('keeps passwords off plain connections when POP3_ALLOW_PLAINTEXT_AUTH is false', async () => {
    const { client } = await openPop3(strictPort);
    expect(await command(client, 'CAPA')).toMatch(/^\+OK/);
    const before = await capabilities(() => client.readLine());
    expect(before).toContain('STLS');
    expect(before).not.toContain('USER');
    expect(await command(client, `USER ${user}`)).toBe('-ERR [AUTH] plaintext authentication disallowed without TLS, use STLS first');
    expect(await command(client, 'AUTH PLAIN')).toMatch(/^-ERR \[AUTH\] plaintext/);
    expect(await command(client, 'STLS')).toBe('+OK begin TLS negotiation');
    const tls = await TlsLines.upgrade(client);
    expect(await tls.command(`USER ${user}`)).toMatch(/^\+OK/);
    expect(await tls.command('PASS hungry')).toMatch(/^\+OK maildrop/);
    expect(await tls.command('QUIT')).toMatch(/^\+OK/);
    tls.close();
  });

  it("is read correctly by Python's poplib, over plain POP3 and over STLS", async (context) => {
    requireTools(context, externalTools.python3);
    const script = `
import json, poplib, ssl, sys
port, user, password, use_tls = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] == "tls"
pop = poplib.POP3("127.0.0.1", port, timeout=20)
out = {"welcome": pop.getwelcome().decode()}
out["capa"] = sorted(pop.capa().keys())
if use_tls:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    pop.stls(ctx)
pop.user(user)
pop.pass_(password)
out["stat"] = list(pop.stat())
out["list"] = [line.decode() for line in pop.list()[1]]
out["uidl"] = [line.decode() for line in pop.uidl()[1]]
out["retr"] = [b"\\r\\n".join(pop.retr(n)[1]).decode("latin1") + "\\r\\n" for n in (1, 2)]
out["top"] = b"\\r\\n".join(pop.top(1, 1)[1]).decode("latin1")
pop.dele(2)
pop.rset()
out["quit"] = pop.quit().decode()
print(json.dumps(out))
`;
    for (const [port, mode] of [
      [lenientPort, 'plain'],
      [strictPort, 'tls'],
    ] as const) {
      const { stdout } = await run('python3', ['-c', script, String(port), user, 'hungry', mode]);
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out['welcome']).toBe('+OK pop.example.test POP3 server ready');
      expect(out['capa']).toEqual(expect.arrayContaining(['TOP', 'UIDL', 'PIPELINING', 'STLS']));
      expect(out['stat']).toEqual([2, dottedMessage.length + 2000]);
      expect(out['list']).toEqual([`1 ${dottedMessage.length}`, '2 2000']);
      expect((out['uidl'] as string[]).map((line) => line.split(' ')[0])).toEqual(['1', '2']);
      expect(out['retr']).toEqual([dottedMessage.toString('latin1'), messageOfSize('second', 2000).toString('latin1')]);
      expect(out['top']).toBe('From: alice@crepes.fr\r\nTo: carol@example.test\r\nSubject: test\r\n\r\nthis message is a test of SMTP');
      expect(out['quit']).toMatch(/^\+OK pop\.example\.test POP3 server signing off \(2 messages left\)$/);
    }
  });
});
