/**
 * mailbox-store unreachable in the middle of a session: requests fail with
 * `-ERR [SYS/TEMP]`, the session goes on, QUIT deletes nothing, and once
 * mailbox-store is back every message is still there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, logIn, multiline, openPop3, unstuff } from './fixtures/pop3-dialogue';
import { messageOfSize } from './fixtures/messages';
import { createPop3World, type Pop3World } from './fixtures/pop3-world';

describe('mailbox-store outage', () => {
  let world: Pop3World;
  let port: number;

  beforeAll(async () => {
    world = await createPop3World('pop3_outage');
    port = (await world.startPop3({ POP3_STORE_TIMEOUT: '2s' })).port;
  });
  afterAll(() => world?.cleanup());

  it('answers SYS/TEMP, keeps the session, and deletes nothing when the UPDATE cannot be done', async () => {
    const user = 'pete@example.test';
    const messages = [messageOfSize('a', 300), messageOfSize('b', 400)];
    await world.addUser(user, 'hungry');
    for (const message of messages) await world.deliver(user, message);

    const client = await logIn(port, user, 'hungry');
    expect(await command(client, 'DELE 1')).toBe('+OK message 1 deleted');
    await world.mailboxStore.stop('SIGKILL');

    expect(await command(client, 'RETR 2')).toBe('-ERR [SYS/TEMP] cannot read the message right now, try again later');
    expect(await command(client, 'NOOP')).toBe('+OK');
    expect(await command(client, 'STAT')).toBe('+OK 1 400');
    expect(await command(client, 'QUIT')).toBe('-ERR [SYS/TEMP] some deleted messages not removed, try again later');
    await client.waitClosed();

    const { client: another } = await openPop3(port);
    await command(another, `USER ${user}`);
    expect(await command(another, 'PASS hungry')).toBe('-ERR [SYS/TEMP] cannot check credentials right now, try again later');
    expect(await command(another, 'QUIT')).toMatch(/^\+OK/);
    another.close();

    await world.startMailboxStore();
    const after = await logIn(port, user, 'hungry');
    expect(await command(after, 'STAT')).toBe('+OK 2 700');
    expect(unstuff((await multiline(after, 'RETR 1')).body).equals(messages[0] ?? Buffer.alloc(0))).toBe(true);
    await command(after, 'QUIT');
    after.close();
  });
});
