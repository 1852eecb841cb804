/**
 * pop3-server against a real mailbox-store, NATS, PostgreSQL and Redis,
 * driven over a raw socket: the seeds' dialogues, byte-exact RETR with
 * stuffing, deletions that take effect only at QUIT, RSET, UIDL, TOP, the
 * state gate, pipelining and the error limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { command, listingLines, logIn, multiline, openPop3, unstuff } from './fixtures/pop3-dialogue';
import { dottedMessage, messageOfSize } from './fixtures/messages';
import { createPop3World, type Pop3Process, type Pop3World } from './fixtures/pop3-world';

describe('pop3-server sessions', () => {
  let world: Pop3World;
  let pop3: Pop3Process;
  let port: number;

  beforeAll(async () => {
    world = await createPop3World('pop3_session');
    // Debug level logs every command: the log check below then covers the most talkative setting.
    pop3 = await world.startPop3({ LOG_LEVEL: 'debug' });
    port = pop3.port;
  });
  afterAll(() => world?.cleanup());

  /** A fresh user with these messages delivered in order. */
  async function userWith(name: string, messages: readonly Buffer[], password = 'hungry'): Promise<string> {
    const address = `${name}@example.test`;
    await world.addUser(address, password);
    for (const message of messages) await world.deliver(address, message);
    return address;
  }

  it('greets with the host name, without an APOP timestamp while APOP is off', async () => {
    const { client, greeting } = await openPop3(port);
    expect(greeting).toBe('+OK pop.example.test POP3 server ready');
    expect(await command(client, 'QUIT')).toBe('+OK pop.example.test POP3 server signing off');
    client.close();
  });

  it("plays seed 001's dialogue (user, pass, list, retr, dele, quit) returning exactly the stored bytes", async () => {
    const first = messageOfSize('crepes', 498);
    const second = messageOfSize('galettes', 912);
    const bob = await userWith('bob', [first, second]);
    const { client } = await openPop3(port);
    expect(await command(client, `user ${bob}`)).toMatch(/^\+OK/);
    expect(await command(client, 'pass hungry')).toBe('+OK maildrop has 2 messages (1410 octets)');
    const list = await multiline(client, 'list');
    expect(list.status).toBe('+OK 2 messages (1410 octets)');
    expect(listingLines(list.body)).toEqual(['1 498', '2 912']);
    const retr1 = await multiline(client, 'retr 1');
    expect(retr1.status).toBe('+OK 498 octets');
    expect(unstuff(retr1.body).equals(first)).toBe(true);
    expect(await command(client, 'dele 1')).toBe('+OK message 1 deleted');
    const retr2 = await multiline(client, 'retr 2');
    expect(retr2.status).toBe('+OK 912 octets');
    expect(unstuff(retr2.body).equals(second)).toBe(true);
    expect(await command(client, 'dele 2')).toBe('+OK message 2 deleted');
    expect(await command(client, 'quit')).toBe('+OK pop.example.test POP3 server signing off (maildrop empty)');
    await client.waitClosed();
    expect(await world.countEntries(bob)).toBe(0);
  });

  it("plays seed 004's dialogue (STAT, LIST, RETR, DELE, QUIT) with the RFC's sizes", async () => {
    const mrose = await userWith('mrose', [messageOfSize('one', 120), messageOfSize('two', 200)], 'mrosepass');
    const client = await logIn(port, mrose, 'mrosepass');
    expect(await command(client, 'STAT')).toBe('+OK 2 320');
    const list = await multiline(client, 'LIST');
    expect(list.status).toBe('+OK 2 messages (320 octets)');
    expect(listingLines(list.body)).toEqual(['1 120', '2 200']);
    expect((await multiline(client, 'RETR 1')).status).toBe('+OK 120 octets');
    expect(await command(client, 'DELE 1')).toBe('+OK message 1 deleted');
    expect((await multiline(client, 'RETR 2')).status).toBe('+OK 200 octets');
    expect(await command(client, 'DELE 2')).toBe('+OK message 2 deleted');
    expect(await command(client, 'QUIT')).toBe('+OK pop.example.test POP3 server signing off (maildrop empty)');
    client.close();
  });

  it("byte-stuffs seed 004's dot lines and reports the same size in STAT, LIST and RETR", async () => {
    const carol = await userWith('carol', [dottedMessage]);
    const client = await logIn(port, carol, 'hungry');
    const size = dottedMessage.length;
    expect(await command(client, 'STAT')).toBe(`+OK 1 ${size}`);
    expect(await command(client, 'LIST 1')).toBe(`+OK 1 ${size}`);
    const retr = await multiline(client, 'RETR 1');
    expect(retr.status).toBe(`+OK ${size} octets`);
    expect(retr.body.toString('latin1')).toContain('\r\nthis message is a test of SMTP\r\n..\r\n..foo\r\n..\r\n');
    expect(unstuff(retr.body).equals(dottedMessage)).toBe(true);
    await command(client, 'QUIT');
    client.close();
  });

  it('streams a message larger than one fetch chunk byte for byte', async () => {
    const big = messageOfSize('big', 1_300_000);
    const dave = await userWith('dave', [big]);
    const client = await logIn(port, dave, 'hungry');
    const retr = await multiline(client, 'RETR 1');
    expect(retr.status).toBe(`+OK ${big.length} octets`);
    expect(unstuff(retr.body).equals(big)).toBe(true);
    await command(client, 'QUIT');
    client.close();
  });

  it('deletes at QUIT only: DELE then QUIT removes, DELE then a dropped connection keeps', async () => {
    const erin = await userWith('erin', [messageOfSize('a', 300), messageOfSize('b', 400), messageOfSize('c', 500)]);
    const dropped = await logIn(port, erin, 'hungry');
    expect(await command(dropped, 'DELE 1')).toBe('+OK message 1 deleted');
    expect(await command(dropped, 'STAT')).toBe('+OK 2 900');
    dropped.close();
    // The server releases the lock once it sees the connection gone.
    const again = await waitFor(() => logIn(port, erin, 'hungry').catch(() => undefined), { description: 'login after the drop' });
    expect(await command(again, 'STAT')).toBe('+OK 3 1200');
    expect(await command(again, 'DELE 2')).toBe('+OK message 2 deleted');
    expect(await command(again, 'QUIT')).toBe('+OK pop.example.test POP3 server signing off (2 messages left)');
    again.close();
    const third = await logIn(port, erin, 'hungry');
    expect(listingLines((await multiline(third, 'LIST')).body)).toEqual(['1 300', '2 500']);
    await command(third, 'QUIT');
    third.close();
  });

  it('hides deleted messages until RSET, which deletes nothing', async () => {
    const frank = await userWith('frank', [messageOfSize('a', 300), messageOfSize('b', 400)]);
    const client = await logIn(port, frank, 'hungry');
    expect(await command(client, 'DELE 1')).toBe('+OK message 1 deleted');
    expect(await command(client, 'RETR 1')).toBe('-ERR message 1 already deleted');
    expect(await command(client, 'LIST 1')).toBe('-ERR message 1 already deleted');
    expect(listingLines((await multiline(client, 'LIST')).body)).toEqual(['2 400']);
    expect(await command(client, 'RSET')).toBe('+OK maildrop has 2 messages (700 octets)');
    expect(await command(client, 'STAT')).toBe('+OK 2 700');
    await command(client, 'QUIT');
    client.close();
    expect(await world.countEntries(frank)).toBe(2);
  });

  it('keeps UIDLs stable across sessions while message numbers change', async () => {
    const gina = await userWith('gina', [messageOfSize('a', 300), messageOfSize('b', 400), messageOfSize('c', 500)]);
    const first = await logIn(port, gina, 'hungry');
    const before = listingLines((await multiline(first, 'UIDL')).body).map((line) => line.split(' '));
    expect(before.map(([n]) => n)).toEqual(['1', '2', '3']);
    expect(await command(first, 'UIDL 2')).toBe(`+OK 2 ${before[1]?.[1]}`);
    await command(first, 'DELE 1');
    await command(first, 'QUIT');
    first.close();
    const second = await logIn(port, gina, 'hungry');
    const after = listingLines((await multiline(second, 'UIDL')).body);
    expect(after).toEqual([`1 ${before[1]?.[1]}`, `2 ${before[2]?.[1]}`]);
    await command(second, 'QUIT');
    second.close();
  });

  it('answers TOP with the headers, the blank line and n body lines', async () => {
    const henry = await userWith('henry', [dottedMessage]);
    const client = await logIn(port, henry, 'hungry');
    const headers = 'From: alice@crepes.fr\r\nTo: carol@example.test\r\nSubject: test\r\n\r\n';
    const top0 = await multiline(client, 'TOP 1 0');
    expect(top0.status).toMatch(/^\+OK/);
    expect(top0.body.toString('latin1')).toBe(headers);
    expect((await multiline(client, 'TOP 1 2')).body.toString('latin1')).toBe(`${headers}this message is a test of SMTP\r\n..\r\n`);
    expect(await command(client, 'TOP 2 1')).toBe('-ERR no such message, only 1 message in maildrop');
    await command(client, 'QUIT');
    client.close();
  });

  it('refuses a wrong password and an unknown user with the same reply', async () => {
    const ivan = await userWith('ivan', []);
    for (const [user, password] of [
      [ivan, 'wrong'],
      ['nobody@example.test', 'hungry'],
    ] as const) {
      const { client } = await openPop3(port);
      expect(await command(client, `USER ${user}`)).toMatch(/^\+OK/);
      expect(await command(client, `PASS ${password}`)).toBe('-ERR [AUTH] invalid user name or password');
      expect(await command(client, 'PASS hungry')).toBe('-ERR PASS must follow USER');
      client.close();
    }
  });

  it('names the state when a command comes in the wrong one, and knows no unknown commands', async () => {
    const judy = await userWith('judy', [messageOfSize('a', 300)]);
    const { client } = await openPop3(port);
    expect(await command(client, 'STAT')).toBe('-ERR STAT not allowed in AUTHORIZATION state');
    expect(await command(client, 'RETR 1')).toBe('-ERR RETR not allowed in AUTHORIZATION state');
    expect(await command(client, 'NOOP')).toBe('-ERR NOOP not allowed in AUTHORIZATION state');
    expect(await command(client, 'HELO example.test')).toBe('-ERR unknown command');
    await command(client, `USER ${judy}`);
    expect(await command(client, 'PASS hungry')).toMatch(/^\+OK/);
    expect(await command(client, `USER ${judy}`)).toBe('-ERR USER not allowed in TRANSACTION state');
    expect(await command(client, 'AUTH PLAIN')).toBe('-ERR AUTH not allowed in TRANSACTION state');
    expect(await command(client, 'RETR 0')).toBe('-ERR RETR message number must be a positive integer');
    expect(await command(client, 'NOOP')).toBe('+OK');
    await command(client, 'QUIT');
    client.close();
  });

  it('answers pipelined commands in order (RFC 2449 PIPELINING)', async () => {
    const kate = await userWith('kate', [messageOfSize('a', 300), dottedMessage]);
    const { client } = await openPop3(port);
    client.write(`CAPA\r\nUSER ${kate}\r\nPASS hungry\r\nSTAT\r\nRETR 2\r\nDELE 1\r\nLIST\r\nNOOP\r\nQUIT\r\n`);
    expect(await client.readLine()).toBe('+OK Capability list follows');
    expect((await client.readUntil('\r\n.\r\n')).toString()).toContain('PIPELINING\r\n');
    expect(await client.readLine()).toMatch(/^\+OK/);
    expect(await client.readLine()).toBe(`+OK maildrop has 2 messages (${300 + dottedMessage.length} octets)`);
    expect(await client.readLine()).toBe(`+OK 2 ${300 + dottedMessage.length}`);
    expect(await client.readLine()).toBe(`+OK ${dottedMessage.length} octets`);
    expect((await client.readUntil('\r\n.\r\n')).toString('latin1')).toContain('..foo\r\n');
    expect(await client.readLine()).toBe('+OK message 1 deleted');
    expect(await client.readLine()).toBe(`+OK 1 message (${dottedMessage.length} octets)`);
    expect(await client.readLine()).toBe(`2 ${dottedMessage.length}`);
    expect(await client.readLine()).toBe('.');
    expect(await client.readLine()).toBe('+OK');
    expect(await client.readLine()).toBe('+OK pop.example.test POP3 server signing off (1 message left)');
    await client.waitClosed();
    await waitFor(async () => (await world.countEntries(kate)) === 1, { description: 'the expunge' });
  });

  it('keeps up with a long pipeline without losing or reordering replies', async () => {
    const { client } = await openPop3(port);
    // More lines than the server queues before it pauses reading (100).
    client.write('CAPA\r\n'.repeat(250) + 'QUIT\r\n');
    for (let i = 0; i < 250; i += 1) {
      expect(await client.readLine()).toBe('+OK Capability list follows');
      expect((await client.readUntil('\r\n.\r\n')).toString()).toContain('IMPLEMENTATION');
    }
    expect(await client.readLine()).toBe('+OK pop.example.test POP3 server signing off');
    await client.waitClosed();
  });

  it('logs in with AUTH PLAIN and user names longer than 40 characters', async () => {
    const long = await userWith('a-rather-long-local-part-for-the-forty-char-rule', [messageOfSize('a', 300)], 'pickles');
    expect(long.length).toBeGreaterThan(40);
    const { client } = await openPop3(port);
    expect(await command(client, 'AUTH PLAIN')).toBe('+ ');
    expect(await command(client, Buffer.from(`\0${long}\0pickles`).toString('base64'))).toBe('+OK maildrop has 1 message (300 octets)');
    await command(client, 'QUIT');
    client.close();
    const second = await logIn(port, long, 'pickles');
    await command(second, 'QUIT');
    second.close();
    const third = await openPop3(port);
    expect(await command(third.client, `AUTH PLAIN ${Buffer.from(`\0${long}\0pickles`).toString('base64')}`)).toMatch(/^\+OK maildrop/);
    third.client.close();
  });

  it('closes the session after too many errors, and keeps serving others', async () => {
    const { client } = await openPop3(port);
    for (let i = 1; i < 10; i += 1) expect(await command(client, 'XYZZ')).toBe('-ERR unknown command');
    expect(await command(client, 'XYZZ')).toBe('-ERR unknown command (too many errors, closing connection)');
    await client.waitClosed();
    const other = await openPop3(port);
    expect(await command(other.client, 'QUIT')).toMatch(/^\+OK/);
    other.client.close();
  });

  it('rejects an over-long line and goes on', async () => {
    const { client } = await openPop3(port);
    expect(await command(client, `USER ${'x'.repeat(300)}`)).toBe('-ERR command line too long (limit 255 octets including CRLF)');
    expect(await command(client, 'QUIT')).toMatch(/^\+OK/);
    client.close();
  });

  it('exports session, login and RETR metrics, and never logs a password', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${pop3.service.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/^mail_pop3_sessions_total(\{[^}]*\})? [1-9]/m);
    expect(metrics).toMatch(/^mail_pop3_logins_total\{[^}]*result="success"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^mail_pop3_logins_total\{[^}]*result="failure"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^mail_pop3_retr_bytes_total(\{[^}]*\})? [1-9]/m);
    const log = pop3.service.output();
    expect(log).toContain('logged in');
    for (const password of ['hungry', 'mrosepass', 'pickles']) expect(log).not.toContain(password);
  });
});
