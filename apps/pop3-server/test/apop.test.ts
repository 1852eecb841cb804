/**
 * APOP (RFC 1939 §7) with the digest method of seed 004: the greeting's
 * timestamp, MD5 of timestamp + the secret set with `mailctl user apop`,
 * checked by mailbox-store. Raw sockets, then Python's poplib and curl as
 * real clients. Off unless POP3_APOP_ENABLED.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalTools, requireTools } from '@mail/testing';
import { command, listingLines, multiline, openPop3, unstuff } from './fixtures/pop3-dialogue';
import { messageOfSize } from './fixtures/messages';
import { createPop3World, type Pop3World } from './fixtures/pop3-world';

const run = promisify(execFile);
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

describe('APOP', () => {
  let world: Pop3World;
  let apopPort: number;
  let plainPort: number;
  const mrose = 'mrose@example.test';

  beforeAll(async () => {
    world = await createPop3World('pop3_apop');
    const [apop, plain] = await Promise.all([world.startPop3({ POP3_APOP_ENABLED: 'true' }), world.startPop3()]);
    apopPort = apop.port;
    plainPort = plain.port;
    await world.addUser(mrose, 'a-password-not-the-secret');
    await world.mailctl('user', 'apop', mrose, '--secret', 'tanstaaf');
    await world.addUser('bob@example.test', 'hungry');
  });
  afterAll(() => world?.cleanup());

  /** The timestamp of a greeting, angle brackets included. */
  const timestampOf = (greeting: string): string => /<[^<>]+>$/.exec(greeting)?.[0] ?? '';

  it("plays seed 004's APOP dialogue: APOP, LIST, RETR, DELE, QUIT", async () => {
    const message = messageOfSize('apop', 369);
    await world.deliver(mrose, message);
    const { client, greeting } = await openPop3(apopPort);
    expect(greeting).toMatch(/^\+OK pop\.example\.test POP3 server ready <[!-;=?-~]+@pop\.example\.test>$/);
    expect(await command(client, `APOP ${mrose} ${md5(timestampOf(greeting) + 'tanstaaf')}`)).toBe('+OK maildrop has 1 message (369 octets)');
    const list = await multiline(client, 'LIST');
    expect(list.status).toBe('+OK 1 message (369 octets)');
    expect(listingLines(list.body)).toEqual(['1 369']);
    const retr = await multiline(client, 'RETR 1');
    expect(retr.status).toBe('+OK 369 octets');
    expect(unstuff(retr.body).equals(message)).toBe(true);
    expect(await command(client, 'DELE 1')).toBe('+OK message 1 deleted');
    expect(await command(client, 'QUIT')).toBe('+OK pop.example.test POP3 server signing off (maildrop empty)');
    await client.waitClosed();
    expect(await world.countEntries(mrose)).toBe(0);
  });

  it('takes a new timestamp in every greeting, so a recorded digest does not work twice', async () => {
    const first = await openPop3(apopPort);
    const digest = md5(timestampOf(first.greeting) + 'tanstaaf');
    first.client.close();
    const second = await openPop3(apopPort);
    expect(timestampOf(second.greeting)).not.toBe(timestampOf(first.greeting));
    expect(await command(second.client, `APOP ${mrose} ${digest}`)).toBe('-ERR [AUTH] invalid user name or password');
    second.client.close();
  });

  it('refuses users without an APOP secret and wrong secrets alike; USER/PASS still works', async () => {
    const { client, greeting } = await openPop3(apopPort);
    const timestamp = timestampOf(greeting);
    expect(await command(client, `APOP bob@example.test ${md5(timestamp + 'hungry')}`)).toBe('-ERR [AUTH] invalid user name or password');
    expect(await command(client, `APOP ${mrose} ${md5(timestamp + 'a-password-not-the-secret')}`)).toBe('-ERR [AUTH] invalid user name or password');
    expect(await command(client, 'USER bob@example.test')).toMatch(/^\+OK/);
    expect(await command(client, 'PASS hungry')).toMatch(/^\+OK maildrop/);
    await command(client, 'QUIT');
    client.close();
  });

  it('is off by default: no timestamp in the greeting, APOP refused', async () => {
    const { client, greeting } = await openPop3(plainPort);
    expect(greeting).toBe('+OK pop.example.test POP3 server ready');
    expect(await command(client, `APOP ${mrose} ${md5('<x@y>tanstaaf')}`)).toBe('-ERR APOP not supported, use USER/PASS or AUTH PLAIN');
    client.close();
  });

  it("logs in with Python's poplib.apop and with curl's APOP", async (context) => {
    requireTools(context, externalTools.python3, externalTools.curl);
    const message = messageOfSize('real clients', 2048);
    await world.deliver(mrose, message);
    const script = `
import poplib, sys
pop = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=20)
print(pop.apop(sys.argv[2], sys.argv[3]).decode())
print(pop.stat()[0])
pop.quit()
`;
    const { stdout } = await run('python3', ['-c', script, String(apopPort), mrose, 'tanstaaf']);
    expect(stdout).toBe('+OK maildrop has 1 message (2048 octets)\n1\n');
    const curl = await run('curl', ['-sS', '--max-time', '20', '--login-options', 'AUTH=+APOP', '-u', `${mrose}:tanstaaf`, `pop3://127.0.0.1:${apopPort}/1`], { encoding: 'buffer' });
    expect(curl.stdout.equals(message)).toBe(true);
  });
});
