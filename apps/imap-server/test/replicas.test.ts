/**
 * Two imap-server processes on one platform (the same NATS namespace,
 * database and Redis prefix: two Pods of the Deployment), each with its own
 * listener. A delivery, a flag change and an expunge made anywhere reach the
 * IDLE sessions of both (mail.v1.mailbox.changed is core NATS, on the
 * user's own subject: every replica with a session on the user's folder
 * hears it, issue 18 "a new delivery reaches IDLE sessions on every replica
 * within a second"); failed logins counted on
 * one replica block on the other (the same Redis keys); and one replica
 * tells 200 IDLE sessions of one folder about one delivery (its change feed
 * fans a notice out to every session watching the folder, and the sessions
 * it woke share one messages.changes request).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Requests } from '@mail/contracts';
import { LineClient, waitFor, type MailStack, type ServiceProcess, type ServiceReplica } from '@mail/testing';
import type { ImapTestClient, ResponseLine } from './fixtures/imap-client';
import { STACK_START_TIMEOUT_MS, USER_PASSWORD, imapStackForSuite } from './fixtures/imap-stack';

/** RFC 2177: the server's continuation once IDLE has begun. */
const idling = '+ idling';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Delivers a message to bob over SMTP; resolves with performance.now() at the 250 that accepted it. */
async function deliver(stack: MailStack, subject: string): Promise<number> {
  const smtp = await LineClient.open(stack.smtpPort);
  try {
    expect((await smtp.readSmtpReply()).code).toBe(220);
    for (const line of ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@example.test>']) expect((await smtp.smtp(line)).code).toBe(250);
    expect((await smtp.smtp('DATA')).code).toBe(354);
    smtp.write(`Subject: ${subject}\r\nFrom: Alice <alice@crepes.fr>\r\n\r\nAnd pickles?\r\n.\r\n`);
    expect((await smtp.readSmtpReply()).code).toBe(250);
    const acceptedAt = performance.now();
    await smtp.smtp('QUIT');
    return acceptedAt;
  } finally {
    smtp.close();
  }
}

/** DONE ends IDLE with the tagged OK (RFC 2177), then LOGOUT. */
async function endIdle(client: ImapTestClient): Promise<void> {
  client.write('DONE\r\n');
  expect((await client.waitForLine(/^i1 /)).text).toBe('i1 OK IDLE terminated');
  await client.command('LOGOUT');
  client.close();
}

/** A counter or gauge of a process's /metrics, summed over the label sets that contain `labels`. */
async function metric(service: ServiceProcess, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
  let sum = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))) if ((match[1] ?? '').includes(labels)) sum += Number(match[2]);
  return sum;
}

describe('imap-server replicas on one platform', () => {
  const stack = imapStackForSuite({
    services: ['mailbox-store', 'spam-filter', 'smtp-ingress', 'imap-server'],
    env: {
      IMAP_AUTH_FAILURE_DELAY: '10ms',
      IMAP_AUTH_BLOCKED_DELAY: '10ms',
      IMAP_AUTH_MAX_FAILURES_PER_USER: '3',
      // 200 IDLE sessions and more from this one address
      IMAP_MAX_CONNECTIONS_PER_IP: '0',
    },
    users: ['bob@example.test', 'carol@example.test'],
  });
  let second: ServiceReplica;
  /** The IMAP ports of replica 1 (the stack's) and replica 2. */
  let ports: [number, number];
  let redis: Redis;

  /** bob logged in on a replica. */
  const bobOn = (port: number): Promise<ImapTestClient> => stack.loggedIn('bob@example.test', { port });

  /** A session with INBOX selected and IDLE begun (RFC 2177), and the message count SELECT reported. */
  async function idleInInbox(port: number): Promise<{ client: ImapTestClient; exists: number }> {
    const client = await bobOn(port);
    const selected = await client.command('SELECT INBOX');
    expect(selected.status).toBe('OK [READ-WRITE] SELECT completed');
    const exists = Number(/^\* (\d+) EXISTS$/.exec(selected.untagged.map((line) => line.text).find((text) => text.endsWith(' EXISTS')) ?? '')?.[1]);
    client.write('i1 IDLE\r\n');
    expect((await client.nextLine()).text).toBe(idling);
    return { client, exists };
  }

  beforeAll(async () => {
    second = await stack.startReplica('imap-server');
    ports = [stack.imapPort, second.ports.imap as number];
    redis = new Redis(stack.env['REDIS_URL'] ?? '', { keyPrefix: stack.env['REDIS_KEY_PREFIX'] ?? '' });
    // The first message through freshly started services pays their start-up (seconds on a loaded machine, spam-filter and
    // mailbox-store alike); the one-second bound of issue 18 is for a running platform, so one message goes through first.
    await deliver(stack, 'warm-up');
    await waitFor(async () => /warm-up/.test((await stack.mailctl('message', 'list', 'bob@example.test')).stdout), { timeoutMs: 30_000, description: 'the first message stored' });
  }, STACK_START_TIMEOUT_MS); // a process started, and the first message through the services
  afterAll(() => {
    redis?.disconnect();
  });

  it('runs two processes with listeners of their own', () => {
    expect(ports[1]).toBeGreaterThan(0);
    expect(ports[1]).not.toBe(ports[0]);
    expect(second.process.pid).not.toBe(stack.services.get('imap-server')?.pid);
  });

  it('tells an IDLE session on each replica about a new delivery within a second of the SMTP 250', async () => {
    const sessions = await Promise.all(ports.map((port) => idleInInbox(port)));
    const acceptedAt = await deliver(stack, 'ketchup');
    const heard = await Promise.all(sessions.map(({ client }) => client.waitForLine(/ EXISTS$/, 10_000)));
    heard.forEach((line, i) => expect(line.text).toBe(`* ${(sessions[i]?.exists ?? 0) + 1} EXISTS`));
    const latencies = heard.map((line: ResponseLine) => Math.round(line.receivedAt - acceptedAt));
    console.info(`SMTP 250 -> * n EXISTS: replica 1 ${latencies[0]} ms, replica 2 ${latencies[1]} ms`);
    for (const ms of latencies) expect(ms).toBeLessThan(1_000);
    await Promise.all(sessions.map(({ client }) => endIdle(client)));
  });

  it('shows a flag stored through replica 1 to an IDLE session on replica 2 as an unsolicited FETCH', async () => {
    const watcher = await idleInInbox(ports[1]);
    expect(watcher.exists).toBeGreaterThan(0);
    const editor = await bobOn(ports[0]);
    await editor.command('SELECT INBOX');
    const stored = await editor.command('STORE 1 +FLAGS (\\Flagged)');
    expect(stored.status).toBe('OK STORE completed');
    const uid = /^\* 1 FETCH \(UID (\d+) /.exec(stored.untagged[0]?.text ?? '')?.[1];
    expect(uid).toBeDefined();
    // RFC 9051 §7.5.2: a flag change made by another session is reported as FETCH FLAGS
    expect((await watcher.client.waitForLine(/^\* 1 FETCH /, 10_000)).text).toBe(`* 1 FETCH (UID ${uid} FLAGS (\\Flagged))`);
    await editor.command('LOGOUT');
    editor.close();
    await endIdle(watcher.client);
  });

  it('shows an expunge made through replica 1 to IDLE sessions on both replicas as * n EXPUNGE', async () => {
    const watchers = await Promise.all(ports.map((port) => idleInInbox(port)));
    const editor = await bobOn(ports[0]);
    await editor.command('SELECT INBOX');
    expect((await editor.command('STORE 1 +FLAGS.SILENT (\\Deleted)')).status).toBe('OK STORE completed');
    const expunged = await editor.command('EXPUNGE');
    expect(expunged.status).toBe('OK EXPUNGE completed');
    expect(expunged.untagged.map((line) => line.text)).toEqual(['* 1 EXPUNGE']);
    // RFC 9051 §7.5.1: the other sessions of the folder are told, each on its own replica
    for (const { client } of watchers) expect((await client.waitForLine(/ EXPUNGE$/, 10_000)).text).toBe('* 1 EXPUNGE');
    await editor.command('LOGOUT');
    editor.close();
    await Promise.all(watchers.map(({ client }) => endIdle(client)));
  });

  it('shares the failed-login limits: failures on either replica count on both, then both refuse alike', async () => {
    const attempt = async (port: number, secret: string) => {
      const client = await stack.connect(port);
      const { status } = await client.command(`LOGIN carol@example.test "${secret}"`);
      client.close();
      return status;
    };
    const wrong = 'NO [AUTHENTICATIONFAILED] Invalid user name or password';
    const blocked = 'NO [AUTHENTICATIONFAILED] Too many failed logins, try again later';
    expect(await attempt(ports[0], 'guess 1')).toBe(wrong);
    expect(await attempt(ports[0], 'guess 2')).toBe(wrong);
    expect(await redis.get('imap:auth-failures:user:carol@example.test')).toBe('2');
    expect(await attempt(ports[1], 'guess 3')).toBe(wrong);
    // One counter in Redis for both processes (@mail/login-limits throttleKeys), with its window running
    expect(await redis.get('imap:auth-failures:user:carol@example.test')).toBe('3');
    expect(await redis.pttl('imap:auth-failures:user:carol@example.test')).toBeGreaterThan(0);
    // The right password no longer helps, on either replica, with the same answer
    expect(await attempt(ports[1], USER_PASSWORD)).toBe(blocked);
    expect(await attempt(ports[0], USER_PASSWORD)).toBe(blocked);
    // The lock-out began once, on the replica whose failure reached the limit
    const services = [stack.services.get('imap-server') as ServiceProcess, second.process];
    expect(await metric(services[1] as ServiceProcess, 'mail_imap_auth_lockouts_total', 'scope="user"')).toBe(1);
    expect(await metric(services[0] as ServiceProcess, 'mail_imap_auth_lockouts_total', 'scope="user"')).toBe(0);
    for (const service of services) expect(await metric(service, 'mail_imap_logins_total', 'result="blocked"')).toBe(1);
    // Another user from the same network still logs in (the user's limit is the user's)
    const bob = await bobOn(ports[1]);
    await bob.command('LOGOUT');
    bob.close();
  });

  it('tells 200 IDLE sessions on one replica about one delivery: one notice, fanned out in the process to every watcher', async () => {
    const count = 200;
    const sessions: { client: ImapTestClient; exists: number }[] = [];
    // Logins in groups of 20: each is a scrypt check in mailbox-store
    while (sessions.length < count) sessions.push(...(await Promise.all(Array.from({ length: Math.min(20, count - sessions.length) }, () => idleInInbox(ports[1])))));
    await waitFor(async () => (await metric(second.process, 'mail_imap_sessions_idle')) === count, { description: `${count} sessions in IDLE on replica 2` });
    // messages.changes is a core NATS request: a plain subscriber of its subject sees every one the sessions make
    const bus = await Bus.connect({ url: stack.env['NATS_URL'] ?? '', name: 'replicas-test', namespace: stack.env['NATS_NAMESPACE'] ?? '', log: silent, provision: false });
    let changesRequests = 0;
    const requests = bus.nc.subscribe(bus.ns.requestSubject(Requests.folderChanges), { callback: () => void changesRequests++ });
    let acceptedAt: number;
    let heard: ResponseLine[];
    try {
      await bus.nc.flush();
      acceptedAt = await deliver(stack, 'mustard');
      heard = await Promise.all(sessions.map(({ client }) => client.waitForLine(/ EXISTS$/, 20_000)));
    } finally {
      requests.unsubscribe();
      await bus.close();
    }
    heard.forEach((line, i) => expect(line.text).toBe(`* ${(sessions[i]?.exists ?? 0) + 1} EXISTS`));
    const latencies = heard.map((line) => line.receivedAt - acceptedAt).sort((a, b) => a - b);
    const at = (share: number) => Math.round(latencies[Math.min(count - 1, Math.floor(share * count))] ?? NaN);
    console.info(`SMTP 250 -> * n EXISTS on ${count} IDLE sessions of one replica: first ${at(0)} ms, median ${at(0.5)} ms, last ${at(1)} ms; ${changesRequests} messages.changes requests`);
    // The sessions one notice woke ask the same question and share one request (mailbox-change-feed.ts), not one each
    expect(changesRequests).toBeGreaterThan(0);
    expect(changesRequests).toBeLessThan(count / 10);
    expect(at(1)).toBeLessThan(10_000);
    await Promise.all(sessions.map(({ client }) => endIdle(client)));
    await waitFor(async () => (await metric(second.process, 'mail_imap_sessions_idle')) === 0, { description: 'no session left in IDLE' });
  }, 240_000);
});
