/**
 * Exhaustion and brute force against the running platform (issue 10).
 *
 * Exhaustion (slowloris): thousands of idle connections are opened against
 * SMTP and POP3 from several loopback source addresses (127.0.0.2, …: all of
 * 127.0.0.0/8 is local on Linux, so each is a different client IP). The
 * per-IP limit (SMTP_MAX_CONNECTIONS_PER_IP, POP3_MAX_CONNECTIONS_PER_IP) and
 * the per-process cap (SMTP_MAX_CONNECTIONS, POP3_MAX_CONNECTIONS) bound
 * what is held: the excess gets 421 / -ERR [SYS/TEMP] and is closed by the
 * server; the idle timeout (SMTP_IDLE_TIMEOUT, POP3_IDLE_TIMEOUT, short
 * here) closes the rest; the services' resident memory stays bounded; and a
 * normal client from another address is served meanwhile.
 *
 * Brute force: wrong passwords on SMTP AUTH (PLAIN, LOGIN) and POP3
 * (USER/PASS, AUTH PLAIN, APOP) spread over two replicas of each server
 * that share Redis are slowed (a delay before every refusal), then refused
 * per user and per IP even with the right password; other users and other
 * addresses still log in; /metrics counts failures, refusals and lock-outs
 * with no user names in the labels.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMailStack, startServiceProcess, waitFor, type MailStack, type ServiceProcess } from '@mail/testing';
import { BoundLineClient, openConnections, type OpenedConnection } from './bound-line-client';
import { residentMiB, scrapeMetrics, sumSamples } from './service-observations';

// ---------------------------------------------------------------- exhaustion

const PER_IP_LIMIT = 100;
const PROCESS_LIMIT = 1200;
const IDLE_TIMEOUT_S = 45;
/** Growth of a service's resident memory the test tolerates (generous: a loaded machine, a cold JIT). */
const MEMORY_GROWTH_LIMIT_MIB = 150;

type Protocol = 'smtp' | 'pop3';
type Moment = 'before' | 'during' | 'after';

/** A service of the stack (or a replica), which must be running. */
function serviceOf(stack: MailStack, name: 'smtp-ingress' | 'pop3-server'): ServiceProcess {
  const service = stack.services.get(name);
  if (service === undefined) throw new Error(`${name} is not running`);
  return service;
}

/** One of two replicas, alternating with `i`. */
const alternate = <T>(pair: readonly [T, T], i: number): T => (i % 2 === 0 ? pair[0] : pair[1]);

/** What the first line of a connection says. */
function verdict(protocol: Protocol, first: string): 'admitted' | 'per-ip' | 'capacity' | 'other' {
  if (protocol === 'smtp') {
    if (first.startsWith('220 ')) return 'admitted';
    if (/^421 4\.7\.0 Too many connections from your IP address/.test(first)) return 'per-ip';
    if (/^421 4\.3\.2 .*Too many open connections on this server/.test(first)) return 'capacity';
    return 'other';
  }
  if (first.startsWith('+OK')) return 'admitted';
  if (/^-ERR \[SYS\/TEMP\] too many connections from your address/.test(first)) return 'per-ip';
  if (/^-ERR \[SYS\/TEMP\] too many open connections on this server/.test(first)) return 'capacity';
  return 'other';
}

function tally(protocol: Protocol, opened: readonly OpenedConnection[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { first } of opened) counts[verdict(protocol, first)] = (counts[verdict(protocol, first)] ?? 0) + 1;
  return counts;
}

/** Waits until the server has closed every refused connection. */
async function expectClosedByServer(opened: readonly OpenedConnection[]): Promise<void> {
  await waitFor(() => opened.every(({ client }) => client.closedByServer), { timeoutMs: 60_000, description: 'the server closing every refused connection' });
}

/** A full SMTP transaction from `localAddress` to bob; resolves with the final reply to the data. */
async function sendNormalMessage(port: number, localAddress: string, subject: string): Promise<string> {
  const client = await BoundLineClient.open(port, localAddress);
  try {
    expect(await client.readSmtpReply()).toMatch(/^220 /);
    expect(await client.smtp('EHLO normal.test')).toMatch(/^250 /);
    expect(await client.smtp('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
    expect(await client.smtp('RCPT TO:<bob@example.test>')).toMatch(/^250 /);
    expect(await client.smtp('DATA')).toMatch(/^354 /);
    client.send(`From: alice@crepes.fr\r\nTo: bob@example.test\r\nSubject: ${subject}\r\n\r\nStill served.\r\n.`);
    const queued = await client.readSmtpReply(60_000);
    await client.smtp('QUIT');
    return queued;
  } finally {
    client.destroy();
  }
}

/** POP3 login and STAT from `localAddress`; resolves with the message count. */
async function statMaildrop(port: number, localAddress: string, user: string, password: string): Promise<number> {
  const client = await BoundLineClient.open(port, localAddress);
  try {
    expect(await client.readLine()).toMatch(/^\+OK/);
    expect(await client.pop3(`USER ${user}`)).toMatch(/^\+OK/);
    const pass = await client.pop3(`PASS ${password}`);
    if (!pass.startsWith('+OK')) throw new Error(`PASS: ${pass}`);
    const stat = await client.pop3('STAT');
    await client.pop3('QUIT');
    return Number(stat.split(' ')[1]);
  } finally {
    client.destroy();
  }
}

describe('exhaustion: idle connections held against SMTP and POP3', () => {
  let stack: MailStack;
  const held: Record<Protocol, OpenedConnection[]> = { smtp: [], pop3: [] };
  const memory: Record<Protocol, Record<Moment, number>> = { smtp: { before: 0, during: 0, after: 0 }, pop3: { before: 0, during: 0, after: 0 } };
  let ports: Record<Protocol, number>;
  let pids: Record<Protocol, number>;
  /** When the first held connection was opened: its idle timer started then. */
  let heldSince = 0;

  const sample = async (moment: Moment): Promise<void> => {
    for (const protocol of ['smtp', 'pop3'] as const) memory[protocol][moment] = await residentMiB(pids[protocol]);
  };

  /** Opens `count` connections per address on both protocols at once; keeps the admitted ones as held. */
  const flood = async (addresses: readonly string[], count: number, batchSize: number): Promise<Record<Protocol, OpenedConnection[]>> => {
    const open = async (protocol: Protocol): Promise<OpenedConnection[]> => {
      const all: OpenedConnection[] = [];
      // One address after another: the cap check then sees a bounded burst
      for (const address of addresses) all.push(...(await openConnections(ports[protocol], address, count, batchSize)));
      held[protocol].push(...all.filter(({ first }) => verdict(protocol, first) === 'admitted'));
      return all;
    };
    const [smtp, pop3] = await Promise.all([open('smtp'), open('pop3')]);
    return { smtp, pop3 };
  };

  beforeAll(async () => {
    stack = await startMailStack({
      services: ['mailbox-store', 'spam-filter', 'smtp-ingress', 'pop3-server'],
      env: {
        SMTP_MAX_CONNECTIONS_PER_IP: String(PER_IP_LIMIT),
        SMTP_MAX_CONNECTIONS: String(PROCESS_LIMIT),
        SMTP_MAX_CONNECTION_RATE: '0', // the per-minute rate has its own test (smtp-ingress limits.test.ts)
        SMTP_IDLE_TIMEOUT: `${IDLE_TIMEOUT_S}s`,
        POP3_MAX_CONNECTIONS_PER_IP: String(PER_IP_LIMIT),
        POP3_MAX_CONNECTIONS: String(PROCESS_LIMIT),
        POP3_IDLE_TIMEOUT: `${IDLE_TIMEOUT_S}s`,
        LOG_LEVEL: 'warn',
      },
    });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 'hungry')).code).toBe(0);
    ports = { smtp: stack.smtpPort, pop3: stack.pop3Port };
    pids = { smtp: serviceOf(stack, 'smtp-ingress').pid, pop3: serviceOf(stack, 'pop3-server').pid };
    await sample('before');
  });

  afterAll(async () => {
    for (const { client } of [...held.smtp, ...held.pop3]) client.destroy();
    if (memory.smtp.before > 0) console.log('resident memory (MiB)', JSON.stringify(memory));
    await stack?.stop();
  });

  it('lets a flood from one address hit its per-IP limit (closed by the server) while other addresses are admitted', { timeout: 300_000 }, async () => {
    heldSince = Date.now();
    const flooder = await flood(['127.0.0.2'], 1000, 100);
    const others = await flood(Array.from({ length: 10 }, (_, i) => `127.0.0.${3 + i}`), PER_IP_LIMIT, 100);
    for (const protocol of ['smtp', 'pop3'] as const) {
      expect(tally(protocol, flooder[protocol])).toEqual({ admitted: PER_IP_LIMIT, 'per-ip': 1000 - PER_IP_LIMIT });
      expect(tally(protocol, others[protocol])).toEqual({ admitted: 10 * PER_IP_LIMIT });
      await expectClosedByServer(flooder[protocol].filter(({ first }) => verdict(protocol, first) === 'per-ip'));
      expect(held[protocol].every(({ client }) => !client.closedByServer)).toBe(true);
    }
  });

  it('serves a normal client from another address while 1,100 connections are held on each service', { timeout: 180_000 }, async () => {
    expect(await sendNormalMessage(ports.smtp, '127.0.1.1', 'while flooded')).toMatch(/^250 /);
    await waitFor(async () => (await statMaildrop(ports.pop3, '127.0.1.1', 'bob@example.test', 'hungry')) === 1, {
      timeoutMs: 90_000,
      description: 'the message in bob’s maildrop, read over POP3 from 127.0.1.1',
    });
  });

  it('refuses connections past the per-process cap with 421 4.3.2 / -ERR [SYS/TEMP], whatever the address', { timeout: 180_000 }, async () => {
    // The normal client's sessions have ended: only the held connections count against the cap
    const opsPorts = [serviceOf(stack, 'smtp-ingress').opsPort, serviceOf(stack, 'pop3-server').opsPort];
    await waitFor(
      async () => {
        const [smtp = '', pop3 = ''] = await scrapeMetrics(opsPorts);
        return sumSamples([smtp], 'mail_smtp_sessions_active') === 11 * PER_IP_LIMIT && sumSamples([pop3], 'mail_pop3_sessions_active') === 11 * PER_IP_LIMIT;
      },
      { timeoutMs: 30_000, description: 'the sessions gauges back at the held connections' },
    );
    const late = await flood(['127.0.0.13', '127.0.0.14', '127.0.0.15', '127.0.0.16'], 50, 50);
    for (const protocol of ['smtp', 'pop3'] as const) {
      expect(tally(protocol, late[protocol])).toEqual({ admitted: PROCESS_LIMIT - 11 * PER_IP_LIMIT, capacity: 200 - (PROCESS_LIMIT - 11 * PER_IP_LIMIT) });
      expect(held[protocol]).toHaveLength(PROCESS_LIMIT);
      await expectClosedByServer(late[protocol].filter(({ first }) => verdict(protocol, first) === 'capacity'));
    }
    // A well-behaved newcomer is refused too: the cap protects the process, whoever asks
    const [smtpNewcomer, pop3Newcomer] = await Promise.all([openConnections(ports.smtp, '127.0.1.2', 1), openConnections(ports.pop3, '127.0.1.2', 1)]);
    expect(smtpNewcomer.map(({ first }) => verdict('smtp', first))).toEqual(['capacity']);
    expect(pop3Newcomer.map(({ first }) => verdict('pop3', first))).toEqual(['capacity']);
    await sample('during');
    // Everything so far happened within the idle timeout of the first held connection: all are still open
    expect(Date.now() - heldSince).toBeLessThan(IDLE_TIMEOUT_S * 1000);
    for (const protocol of ['smtp', 'pop3'] as const) {
      expect(held[protocol].filter(({ client }) => client.closedByServer)).toHaveLength(0);
      expect(memory[protocol].during - memory[protocol].before).toBeLessThan(MEMORY_GROWTH_LIMIT_MIB);
    }
  });

  it('closes every idle connection at the idle timeout (421 4.4.2 / -ERR), then serves clients again', { timeout: 300_000 }, async () => {
    await waitFor(() => [...held.smtp, ...held.pop3].every(({ client }) => client.closedByServer), {
      timeoutMs: (IDLE_TIMEOUT_S + 120) * 1000,
      intervalMs: 1000,
      description: 'the idle timeout closing every held connection',
    });
    const goodbyes = async (protocol: Protocol): Promise<string[]> => Promise.all(held[protocol].map(({ client }) => client.readLine(1000).catch(() => 'none')));
    expect(new Set((await goodbyes('smtp')).map((line) => line.replace(/mx\.example\.test /, '')))).toEqual(new Set(['421 4.4.2 Timeout waiting for client input, closing connection']));
    expect(new Set(await goodbyes('pop3'))).toEqual(new Set(['-ERR autologout, idle for too long']));
    expect(await sendNormalMessage(ports.smtp, '127.0.0.2', 'after the flood')).toMatch(/^250 /);
    await waitFor(async () => (await statMaildrop(ports.pop3, '127.0.0.2', 'bob@example.test', 'hungry')) === 2, {
      timeoutMs: 90_000,
      description: 'the second message, read from the former flooder’s address',
    });
    await sample('after');
    for (const protocol of ['smtp', 'pop3'] as const) expect(memory[protocol].after - memory[protocol].before).toBeLessThan(MEMORY_GROWTH_LIMIT_MIB);
  });
});

// --------------------------------------------------------------- brute force

const FAILURE_DELAY_MS = 400;
const MAX_FAILURES_PER_USER = 4;
const MAX_FAILURES_PER_IP = 6;
/** The slack below the configured delay a measured reply may show (timer granularity). */
const TIMER_SLACK_MS = 50;

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** How an attempt ended: the reply line and how long it took from the credentials to the reply. */
interface Attempt {
  readonly reply: string;
  readonly ms: number;
}

/** One AUTH on the submission port from `localAddress` (plain text allowed for loopback clients here). */
async function smtpAuth(port: number, localAddress: string, mechanism: 'PLAIN' | 'LOGIN', user: string, password: string): Promise<Attempt> {
  const client = await BoundLineClient.open(port, localAddress);
  try {
    expect(await client.readSmtpReply()).toMatch(/^220 /);
    expect(await client.smtp('EHLO attacker.test')).toMatch(/^250 /);
    let started = Date.now();
    let reply: string;
    if (mechanism === 'PLAIN') {
      reply = await client.smtp(`AUTH PLAIN ${base64(`\0${user}\0${password}`)}`);
    } else {
      expect(await client.smtp('AUTH LOGIN')).toMatch(/^334 /);
      expect(await client.smtp(base64(user))).toMatch(/^334 /);
      started = Date.now();
      reply = await client.smtp(base64(password));
    }
    const ms = Date.now() - started;
    await client.smtp('QUIT').catch(() => undefined);
    return { reply, ms };
  } finally {
    client.destroy();
  }
}

/** One POP3 login from `localAddress` with USER/PASS, AUTH PLAIN or APOP (`secret` is the password or the APOP secret). */
async function pop3Login(port: number, localAddress: string, mechanism: 'pass' | 'plain' | 'apop', user: string, secret: string): Promise<Attempt> {
  const client = await BoundLineClient.open(port, localAddress);
  try {
    const greeting = await client.readLine();
    expect(greeting).toMatch(/^\+OK/);
    if (mechanism === 'pass') expect(await client.pop3(`USER ${user}`)).toMatch(/^\+OK/);
    const started = Date.now();
    let reply: string;
    if (mechanism === 'pass') reply = await client.pop3(`PASS ${secret}`);
    else if (mechanism === 'plain') reply = await client.pop3(`AUTH PLAIN ${base64(`\0${user}\0${secret}`)}`);
    else {
      // RFC 1939 §7: MD5 of the greeting's timestamp followed by the shared secret
      const timestamp = /<[^>]+>/.exec(greeting)?.[0];
      if (timestamp === undefined) throw new Error(`no APOP timestamp in ${greeting}`);
      reply = await client.pop3(`APOP ${user} ${createHash('md5').update(timestamp + secret).digest('hex')}`);
    }
    const ms = Date.now() - started;
    await client.pop3('QUIT').catch(() => undefined);
    return { reply, ms };
  } finally {
    client.destroy();
  }
}

describe('brute force: wrong passwords on SMTP AUTH and POP3 across two replicas of each', () => {
  let stack: MailStack;
  const replicas: ServiceProcess[] = [];
  let submission: [number, number];
  let pop3: [number, number];
  let smtpOps: number[];
  let pop3Ops: number[];

  beforeAll(async () => {
    stack = await startMailStack({
      services: ['mailbox-store', 'smtp-ingress', 'pop3-server'],
      env: {
        SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true',
        SMTP_AUTH_MAX_FAILURES_PER_USER: String(MAX_FAILURES_PER_USER),
        SMTP_AUTH_MAX_FAILURES_PER_IP: String(MAX_FAILURES_PER_IP),
        SMTP_AUTH_FAILURE_DELAY: `${FAILURE_DELAY_MS}ms`,
        POP3_AUTH_MAX_FAILURES_PER_USER: String(MAX_FAILURES_PER_USER),
        POP3_AUTH_MAX_FAILURES_PER_IP: String(MAX_FAILURES_PER_IP),
        POP3_AUTH_FAILURE_DELAY: `${FAILURE_DELAY_MS}ms`,
        POP3_AUTH_BLOCKED_DELAY: `${FAILURE_DELAY_MS}ms`,
        POP3_APOP_ENABLED: 'true',
        APOP_SECRET_KEY: 'a1'.repeat(32),
        LOG_LEVEL: 'warn',
      },
    });
    // The second replica of each server: its own ports, the same NATS, Redis and database
    const [smtpPort, submissionPort, pop3Port] = [await freePort(), await freePort(), await freePort()];
    const smtpReplica = await startServiceProcess('smtp-ingress', { ...stack.env, SMTP_PORT: String(smtpPort), SUBMISSION_PORT: String(submissionPort) });
    replicas.push(smtpReplica);
    const pop3Replica = await startServiceProcess('pop3-server', { ...stack.env, POP3_PORT: String(pop3Port) });
    replicas.push(pop3Replica);
    submission = [stack.submissionPort, submissionPort];
    pop3 = [stack.pop3Port, pop3Port];
    smtpOps = [serviceOf(stack, 'smtp-ingress').opsPort, smtpReplica.opsPort];
    pop3Ops = [serviceOf(stack, 'pop3-server').opsPort, pop3Replica.opsPort];
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    for (const [user, password] of Object.entries({ 'victim@example.test': 'right-pass', 'bob@example.test': 'hungry' })) {
      expect((await stack.mailctl('user', 'add', user, '--password', password)).code).toBe(0);
    }
    expect((await stack.mailctl('user', 'apop', 'victim@example.test', '--secret', 'tanstaaf')).code).toBe(0);
  });

  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.stop()));
    await stack?.stop();
  });

  it('SMTP AUTH: slows each wrong password, then refuses the user on both replicas and from any address', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_USER; i += 1) {
      const attempt = await smtpAuth(alternate(submission, i), '127.0.0.21', i % 2 === 0 ? 'PLAIN' : 'LOGIN', 'victim@example.test', `guess-${i}`);
      expect(attempt.reply).toMatch(/^535 5\.7\.8 /);
      expect(attempt.ms).toBeGreaterThanOrEqual(FAILURE_DELAY_MS - TIMER_SLACK_MS);
    }
    // Locked: even the right password is refused, by either replica, from the attacker's address or another
    const locked = await smtpAuth(submission[0], '127.0.0.21', 'PLAIN', 'victim@example.test', 'right-pass');
    expect(locked.reply).toMatch(/^454 4\.7\.0 /);
    expect(locked.ms).toBeGreaterThanOrEqual(FAILURE_DELAY_MS - TIMER_SLACK_MS);
    expect((await smtpAuth(submission[1], '127.0.0.22', 'LOGIN', 'victim@example.test', 'right-pass')).reply).toMatch(/^454 4\.7\.0 /);
    // Another user is unaffected, from the attacker's address too (its per-IP count is below the limit)
    expect((await smtpAuth(submission[0], '127.0.0.22', 'PLAIN', 'bob@example.test', 'hungry')).reply).toMatch(/^235 /);
    expect((await smtpAuth(submission[1], '127.0.0.21', 'LOGIN', 'bob@example.test', 'hungry')).reply).toMatch(/^235 /);
  });

  it('SMTP AUTH: refuses an address that guesses across many user names; other addresses still log in', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
      const attempt = await smtpAuth(alternate(submission, i), '127.0.0.23', i % 2 === 0 ? 'LOGIN' : 'PLAIN', `nobody${i}@example.test`, 'guess');
      expect(attempt.reply).toMatch(/^535 5\.7\.8 /);
    }
    expect((await smtpAuth(submission[1], '127.0.0.23', 'PLAIN', 'bob@example.test', 'hungry')).reply).toMatch(/^454 4\.7\.0 /);
    expect((await smtpAuth(submission[0], '127.0.0.24', 'PLAIN', 'bob@example.test', 'hungry')).reply).toMatch(/^235 /);
  });

  it('POP3: slows each wrong USER/PASS, AUTH PLAIN and APOP, then refuses the user on both replicas and from any address', async () => {
    const mechanisms = ['pass', 'plain', 'apop', 'pass'] as const;
    for (let i = 0; i < MAX_FAILURES_PER_USER; i += 1) {
      const attempt = await pop3Login(alternate(pop3, i), '127.0.0.31', mechanisms[i % mechanisms.length] ?? 'pass', 'victim@example.test', `guess-${i}`);
      expect(attempt.reply).toBe('-ERR [AUTH] invalid user name or password');
      expect(attempt.ms).toBeGreaterThanOrEqual(FAILURE_DELAY_MS - TIMER_SLACK_MS);
    }
    const locked = await pop3Login(pop3[0], '127.0.0.31', 'plain', 'victim@example.test', 'right-pass');
    expect(locked.reply).toBe('-ERR [AUTH] too many failed logins, try again later');
    expect(locked.ms).toBeGreaterThanOrEqual(FAILURE_DELAY_MS - TIMER_SLACK_MS);
    expect((await pop3Login(pop3[1], '127.0.0.32', 'apop', 'victim@example.test', 'tanstaaf')).reply).toMatch(/^-ERR \[AUTH\] too many failed logins/);
    expect((await pop3Login(pop3[0], '127.0.0.32', 'pass', 'victim@example.test', 'right-pass')).reply).toMatch(/^-ERR \[AUTH\] too many failed logins/);
    expect((await pop3Login(pop3[1], '127.0.0.32', 'pass', 'bob@example.test', 'hungry')).reply).toMatch(/^\+OK/);
    expect((await pop3Login(pop3[0], '127.0.0.31', 'plain', 'bob@example.test', 'hungry')).reply).toMatch(/^\+OK/);
  });

  it('POP3: refuses an address that guesses across many user names; other addresses still log in', async () => {
    const mechanisms = ['pass', 'plain', 'apop'] as const;
    for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
      const attempt = await pop3Login(alternate(pop3, i), '127.0.0.33', mechanisms[i % mechanisms.length] ?? 'pass', `nobody${i}@example.test`, 'guess');
      expect(attempt.reply).toBe('-ERR [AUTH] invalid user name or password');
    }
    expect((await pop3Login(pop3[1], '127.0.0.33', 'pass', 'bob@example.test', 'hungry')).reply).toMatch(/^-ERR \[AUTH\] too many failed logins/);
    expect((await pop3Login(pop3[0], '127.0.0.34', 'pass', 'bob@example.test', 'hungry')).reply).toMatch(/^\+OK/);
  });

  it('shows failures, refusals and lock-outs in /metrics of the replicas, without user names', async () => {
    const [smtp, pop] = await Promise.all([scrapeMetrics(smtpOps), scrapeMetrics(pop3Ops)]);
    const failures = MAX_FAILURES_PER_USER + MAX_FAILURES_PER_IP;
    // SMTP: every AUTH by mechanism and result (locked = refused by the brute-force limits), lock-outs by scope
    expect(sumSamples(smtp, 'mail_smtp_auth_attempts_total', { result: 'failure' })).toBe(failures);
    expect(sumSamples(smtp, 'mail_smtp_auth_attempts_total', { result: 'failure', mechanism: 'LOGIN' })).toBeGreaterThan(0);
    expect(sumSamples(smtp, 'mail_smtp_auth_attempts_total', { result: 'locked' })).toBe(3);
    expect(sumSamples(smtp, 'mail_smtp_auth_lockouts_total', { scope: 'user' })).toBe(1);
    expect(sumSamples(smtp, 'mail_smtp_auth_lockouts_total', { scope: 'ip' })).toBe(1);
    // Both replicas took part: the counts in Redis are shared
    for (const text of smtp) expect(sumSamples([text], 'mail_smtp_auth_attempts_total', { result: 'failure' })).toBeGreaterThan(0);
    // POP3: failed credential checks by mechanism, logins by result, lock-outs by scope
    expect(sumSamples(pop, 'mail_pop3_auth_failures_total')).toBe(failures);
    for (const mechanism of ['pass', 'plain', 'apop']) expect(sumSamples(pop, 'mail_pop3_auth_failures_total', { mechanism })).toBeGreaterThan(0);
    expect(sumSamples(pop, 'mail_pop3_logins_total', { result: 'blocked' })).toBe(4);
    expect(sumSamples(pop, 'mail_pop3_auth_lockouts_total', { scope: 'user' })).toBe(1);
    expect(sumSamples(pop, 'mail_pop3_auth_lockouts_total', { scope: 'ip' })).toBe(1);
    for (const text of pop) expect(sumSamples([text], 'mail_pop3_auth_failures_total')).toBeGreaterThan(0);
    // Low-cardinality labels only: no user name (nor any address) in any series
    for (const text of [...smtp, ...pop]) expect(text).not.toMatch(/victim|nobody|bob|@example\.test/);
  });
});
