/**
 * The maildrop lock of RFC 1939 §8 in Redis, across two pop3-server
 * processes: a second session gets `-ERR [IN-USE]`, QUIT and dropped
 * connections free the lock, a live session keeps refreshing it, and the
 * TTL frees the lock of a process that died.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { command, logIn, openPop3 } from './fixtures/pop3-dialogue';
import { messageOfSize } from './fixtures/messages';
import { createPop3World, type Pop3Process, type Pop3World } from './fixtures/pop3-world';

describe('maildrop lock', () => {
  let world: Pop3World;
  let first: Pop3Process;
  let second: Pop3Process;
  let redis: Redis;

  beforeAll(async () => {
    world = await createPop3World('pop3_lock');
    [first, second] = await Promise.all([world.startPop3({ POP3_LOCK_TTL: '3s' }), world.startPop3({ POP3_LOCK_TTL: '3s' })]);
    redis = new Redis(world.env['REDIS_URL'] ?? '');
  });
  afterAll(async () => {
    redis?.disconnect();
    await world?.cleanup();
  });

  const lockKey = (user: string): string => `${world.env['REDIS_KEY_PREFIX']}pop3:lock:${user}`;

  async function tryLogIn(port: number, user: string): Promise<string> {
    const { client } = await openPop3(port);
    await command(client, `USER ${user}`);
    const reply = await command(client, 'PASS hungry');
    expect(await command(client, 'QUIT')).toMatch(/^\+OK/);
    client.close();
    return reply;
  }

  it('refuses a second session on the same and on another process until the first QUITs', async () => {
    const user = 'lena@example.test';
    await world.addUser(user, 'hungry');
    await world.deliver(user, messageOfSize('a', 300));
    const holder = await logIn(first.port, user, 'hungry');
    expect(await redis.get(lockKey(user))).toMatch(/^[0-9a-f-]{36}$/);
    expect(await tryLogIn(first.port, user)).toBe('-ERR [IN-USE] maildrop already locked');
    expect(await tryLogIn(second.port, user)).toBe('-ERR [IN-USE] maildrop already locked');
    expect(await command(holder, 'STAT')).toBe('+OK 1 300');
    expect(await command(holder, 'QUIT')).toMatch(/^\+OK/);
    await holder.waitClosed();
    await waitFor(async () => (await redis.exists(lockKey(user))) === 0, { description: 'the lock released' });
    expect(await tryLogIn(second.port, user)).toBe('+OK maildrop has 1 message (300 octets)');
  });

  it('frees the lock when the client drops the connection', async () => {
    const user = 'mike@example.test';
    await world.addUser(user, 'hungry');
    const holder = await logIn(second.port, user, 'hungry');
    holder.close();
    await waitFor(async () => (await redis.exists(lockKey(user))) === 0, { description: 'the lock released after the drop' });
    expect(await tryLogIn(first.port, user)).toMatch(/^\+OK maildrop/);
  });

  it('keeps refreshing the lock of a live session beyond its TTL', async () => {
    const user = 'nina@example.test';
    await world.addUser(user, 'hungry');
    const holder = await logIn(first.port, user, 'hungry');
    const owner = await redis.get(lockKey(user));
    // TTL 3 s, refreshed every second: watch it go down and come back up twice.
    let refreshes = 0;
    let last = await redis.pttl(lockKey(user));
    await waitFor(
      async () => {
        const ttl = await redis.pttl(lockKey(user));
        if (ttl > last) refreshes += 1;
        last = ttl;
        return refreshes >= 4;
      },
      { timeoutMs: 15_000, intervalMs: 100, description: 'four refreshes of the lock' },
    );
    expect(await redis.get(lockKey(user))).toBe(owner);
    expect(await tryLogIn(second.port, user)).toBe('-ERR [IN-USE] maildrop already locked');
    expect(await command(holder, 'NOOP')).toBe('+OK');
    await command(holder, 'QUIT');
    holder.close();
  });

  it('closes sessions and releases their locks when stopped with SIGTERM', async () => {
    const user = 'otto@example.test';
    await world.addUser(user, 'hungry');
    const stopping = await world.startPop3();
    const holder = await logIn(stopping.port, user, 'hungry');
    expect(await redis.exists(lockKey(user))).toBe(1);
    expect(await stopping.service.stop('SIGTERM')).toBe(0);
    await holder.waitClosed();
    expect(await redis.exists(lockKey(user))).toBe(0);
  });

  it('logs out an idle session without entering UPDATE (RFC 1939 §3 autologout)', async () => {
    const user = 'paul@example.test';
    await world.addUser(user, 'hungry');
    await world.deliver(user, messageOfSize('a', 300));
    const impatient = await world.startPop3({ POP3_IDLE_TIMEOUT: '1s' });
    const holder = await logIn(impatient.port, user, 'hungry');
    expect(await command(holder, 'DELE 1')).toBe('+OK message 1 deleted');
    expect(await holder.readLine(5_000)).toBe('-ERR autologout, idle for too long');
    await holder.waitClosed();
    await waitFor(async () => (await redis.exists(lockKey(user))) === 0, { description: 'the lock released' });
    expect(await world.countEntries(user)).toBe(1);
    await impatient.service.stop();
  });

  it('lets the TTL free the lock of a pop3-server process that died', async () => {
    const user = 'olga@example.test';
    await world.addUser(user, 'hungry');
    const doomed = await world.startPop3({ POP3_LOCK_TTL: '2s' });
    const holder = await logIn(doomed.port, user, 'hungry');
    await doomed.service.stop('SIGKILL');
    holder.close();
    expect(await tryLogIn(first.port, user)).toBe('-ERR [IN-USE] maildrop already locked');
    await waitFor(async () => (await tryLogIn(first.port, user)).startsWith('+OK maildrop'), {
      timeoutMs: 10_000,
      intervalMs: 250,
      description: 'the lock of the dead process to expire',
    });
  });
});
