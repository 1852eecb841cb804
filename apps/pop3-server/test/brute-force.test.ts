/**
 * Brute-force protection across two pop3-server processes sharing Redis:
 * failed logins count per user name and per client network; past a limit
 * logins are refused with `-ERR [AUTH]` after a delay — even with the right
 * password — logged and counted in the metrics, until the window ends.
 * Also LOGIN-DELAY, the other shared limit on logins.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { command, openPop3 } from './fixtures/pop3-dialogue';
import { createPop3World, type Pop3Process, type Pop3World } from './fixtures/pop3-world';

const blocked = '-ERR [AUTH] too many failed logins, try again later';
const wrong = '-ERR [AUTH] invalid user name or password';
const delayMs = 400;

describe('failed-login limits', () => {
  let world: Pop3World;
  let first: Pop3Process;
  let second: Pop3Process;
  let redis: Redis;

  beforeAll(async () => {
    world = await createPop3World('pop3_bruteforce');
    const limits = {
      POP3_AUTH_MAX_FAILURES_PER_USER: '3',
      POP3_AUTH_MAX_FAILURES_PER_IP: '8',
      POP3_AUTH_FAILURE_WINDOW: '8s',
      POP3_AUTH_BLOCKED_DELAY: `${delayMs}ms`,
      // No delay before a wrong-password reply: the failures must all fall inside the short window
      POP3_AUTH_FAILURE_DELAY: '0',
    };
    [first, second] = await Promise.all([world.startPop3(limits), world.startPop3(limits)]);
    await world.addUser('victim@example.test', 'correct horse');
    await world.addUser('olga@example.test', 'pickles');
    redis = new Redis(world.env['REDIS_URL'] ?? '', { keyPrefix: world.env['REDIS_KEY_PREFIX'] ?? '' });
  });
  afterAll(async () => {
    redis?.disconnect();
    await world?.cleanup();
  });

  /** One login attempt on its own connection: the reply to PASS and how long it took. */
  async function attempt(port: number, user: string, password: string): Promise<{ reply: string; ms: number }> {
    const { client } = await openPop3(port);
    await command(client, `USER ${user}`);
    const started = Date.now();
    const reply = await command(client, `PASS ${password}`);
    const ms = Date.now() - started;
    await command(client, 'QUIT');
    client.close();
    return { reply, ms };
  }

  it('blocks a user after three failures spread over both processes, even with the right password', async () => {
    expect((await attempt(first.port, 'victim@example.test', 'guess 1')).reply).toBe(wrong);
    expect((await attempt(second.port, 'Victim@example.test', 'guess 2')).reply).toBe(wrong);
    expect((await attempt(first.port, 'victim@example.test', 'guess 3')).reply).toBe(wrong);
    expect(await redis.get('pop3:auth-failures:user:victim@example.test')).toBe('3');
    for (const port of [second.port, first.port]) {
      const refused = await attempt(port, 'victim@example.test', 'correct horse');
      expect(refused.reply).toBe(blocked);
      expect(refused.ms).toBeGreaterThanOrEqual(delayMs - 20);
    }
    // The user limit is the user's: others from the same address still log in.
    expect((await attempt(second.port, 'olga@example.test', 'pickles')).reply).toMatch(/^\+OK maildrop/);
  });

  it('blocks the client address once failures across user names reach its limit', async () => {
    for (const user of ['a', 'b', 'c', 'd', 'e']) expect((await attempt(second.port, `${user}@example.test`, 'guess')).reply).toBe(wrong);
    expect(await redis.get('pop3:auth-failures:net:127.0.0.1')).toBe('8');
    expect((await attempt(first.port, 'olga@example.test', 'pickles')).reply).toBe(blocked);
    expect((await attempt(second.port, 'olga@example.test', 'pickles')).reply).toBe(blocked);
    const { client } = await openPop3(first.port);
    expect(await command(client, `AUTH PLAIN ${Buffer.from('\0olga@example.test\0pickles').toString('base64')}`)).toBe(blocked);
    client.close();
  });

  it('logs and counts the blocks on each process', async () => {
    for (const pop3 of [first, second]) {
      const metrics = await (await fetch(`http://127.0.0.1:${pop3.service.opsPort}/metrics`)).text();
      expect(metrics).toMatch(/^mail_pop3_logins_total\{[^}]*result="blocked"[^}]*\} [1-9]/m);
      expect(metrics).toMatch(/^mail_pop3_auth_failures_total\{[^}]*mechanism="pass"[^}]*\} [1-9]/m);
      expect(pop3.service.output()).toContain('login blocked: too many failed attempts');
      expect(pop3.service.output()).not.toContain('correct horse');
    }
  });

  it('lets logins through again once the window has passed', async () => {
    const ttl = await redis.pttl('pop3:auth-failures:net:127.0.0.1');
    expect(ttl).toBeGreaterThan(0);
    await waitFor(async () => (await attempt(first.port, 'olga@example.test', 'pickles')).reply.startsWith('+OK maildrop'), {
      timeoutMs: ttl + 10_000,
      intervalMs: 200,
      description: 'the block to end with the window',
    });
    expect((await attempt(second.port, 'victim@example.test', 'correct horse')).reply).toMatch(/^\+OK maildrop/);
  });

  it('enforces LOGIN-DELAY across processes when set, and announces it in CAPA (RFC 2449 §6.5)', async () => {
    const delayed = await Promise.all([world.startPop3({ POP3_LOGIN_DELAY: '60' }), world.startPop3({ POP3_LOGIN_DELAY: '60' })]);
    await world.addUser('lou@example.test', 'pickles');
    const { client } = await openPop3(delayed[0]?.port ?? 0);
    expect(await command(client, 'CAPA')).toMatch(/^\+OK/);
    expect((await client.readUntil('\r\n.\r\n')).toString()).toContain('\r\nLOGIN-DELAY 60\r\n');
    client.close();
    expect((await attempt(delayed[0]?.port ?? 0, 'lou@example.test', 'pickles')).reply).toMatch(/^\+OK maildrop/);
    expect((await attempt(delayed[1]?.port ?? 0, 'lou@example.test', 'pickles')).reply).toBe('-ERR [LOGIN-DELAY] logins are allowed once every 60 seconds');
  });
});
