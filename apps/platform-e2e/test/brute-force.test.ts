/**
 * Brute force against the running platform (issue 10): wrong passwords on
 * SMTP AUTH (PLAIN, LOGIN) and POP3 (USER/PASS, AUTH PLAIN, APOP) spread over
 * two replicas of each server that share Redis are slowed (a delay before
 * every refusal), then refused per user and per IP even with the right
 * password; other users and other addresses still log in; /metrics counts
 * failures, refusals and lock-outs with no user names in the labels. Each
 * test checks the counts of its own attempts (the increase over the test),
 * so it holds alone as well as after the others.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, LineClient, startMailStack, startServiceProcess, type MailStack, type ServiceProcess } from '@mail/testing';
import { scrapeMetrics, serviceOf, sumSamples } from './service-observations';

/** How much a metric (summed over `labels`) grew from the `before` scrapes to the `after` ones. */
const increase = (before: readonly string[], after: readonly string[], name: string, labels: Record<string, string> = {}): number => sumSamples(after, name, labels) - sumSamples(before, name, labels);

/** One of two replicas, alternating with `i`. */
const alternate = <T>(pair: readonly [T, T], i: number): T => (i % 2 === 0 ? pair[0] : pair[1]);

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
  const client = await LineClient.open(port, { localAddress, replyTimeoutMs: 30_000 });
  try {
    expect((await client.readSmtpReply()).lastLine).toMatch(/^220 /);
    expect((await client.smtp('EHLO attacker.test')).lastLine).toMatch(/^250 /);
    let started = Date.now();
    let reply: string;
    if (mechanism === 'PLAIN') {
      reply = (await client.smtp(`AUTH PLAIN ${base64(`\0${user}\0${password}`)}`)).lastLine;
    } else {
      expect((await client.smtp('AUTH LOGIN')).lastLine).toMatch(/^334 /);
      expect((await client.smtp(base64(user))).lastLine).toMatch(/^334 /);
      started = Date.now();
      reply = (await client.smtp(base64(password))).lastLine;
    }
    const ms = Date.now() - started;
    await client.smtp('QUIT').catch(() => undefined);
    return { reply, ms };
  } finally {
    client.close();
  }
}

/** One POP3 login from `localAddress` with USER/PASS, AUTH PLAIN or APOP (`secret` is the password or the APOP secret). */
async function pop3Login(port: number, localAddress: string, mechanism: 'pass' | 'plain' | 'apop', user: string, secret: string): Promise<Attempt> {
  const client = await LineClient.open(port, { localAddress, replyTimeoutMs: 30_000 });
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
      reply = await client.pop3(
        `APOP ${user} ${createHash('md5')
          .update(timestamp + secret)
          .digest('hex')}`,
      );
    }
    const ms = Date.now() - started;
    await client.pop3('QUIT').catch(() => undefined);
    return { reply, ms };
  } finally {
    client.close();
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
    const before = await scrapeMetrics(smtpOps);
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
    // /metrics (counted before each reply): every AUTH by mechanism and result (locked = refused by the limits), the lock-out by scope
    const after = await scrapeMetrics(smtpOps);
    expect(increase(before, after, 'mail_smtp_auth_attempts_total', { result: 'failure' })).toBe(MAX_FAILURES_PER_USER);
    expect(increase(before, after, 'mail_smtp_auth_attempts_total', { result: 'failure', mechanism: 'LOGIN' })).toBe(MAX_FAILURES_PER_USER / 2);
    expect(increase(before, after, 'mail_smtp_auth_attempts_total', { result: 'locked' })).toBe(2);
    expect(increase(before, after, 'mail_smtp_auth_lockouts_total', { scope: 'user' })).toBe(1);
    expect(increase(before, after, 'mail_smtp_auth_lockouts_total', { scope: 'ip' })).toBe(0);
    // Both replicas took part: the counts in Redis are shared
    for (const [i, text] of after.entries()) expect(increase([before[i] ?? ''], [text], 'mail_smtp_auth_attempts_total', { result: 'failure' })).toBeGreaterThan(0);
  });

  it('SMTP AUTH: refuses an address that guesses across many user names; other addresses still log in', async () => {
    const before = await scrapeMetrics(smtpOps);
    for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
      const attempt = await smtpAuth(alternate(submission, i), '127.0.0.23', i % 2 === 0 ? 'LOGIN' : 'PLAIN', `nobody${i}@example.test`, 'guess');
      expect(attempt.reply).toMatch(/^535 5\.7\.8 /);
    }
    expect((await smtpAuth(submission[1], '127.0.0.23', 'PLAIN', 'bob@example.test', 'hungry')).reply).toMatch(/^454 4\.7\.0 /);
    expect((await smtpAuth(submission[0], '127.0.0.24', 'PLAIN', 'bob@example.test', 'hungry')).reply).toMatch(/^235 /);
    const after = await scrapeMetrics(smtpOps);
    expect(increase(before, after, 'mail_smtp_auth_attempts_total', { result: 'failure' })).toBe(MAX_FAILURES_PER_IP);
    expect(increase(before, after, 'mail_smtp_auth_attempts_total', { result: 'locked' })).toBe(1);
    expect(increase(before, after, 'mail_smtp_auth_lockouts_total', { scope: 'ip' })).toBe(1);
    expect(increase(before, after, 'mail_smtp_auth_lockouts_total', { scope: 'user' })).toBe(0);
  });

  it('POP3: slows each wrong USER/PASS, AUTH PLAIN and APOP, then refuses the user on both replicas and from any address', async () => {
    const before = await scrapeMetrics(pop3Ops);
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
    // /metrics (counted before each reply): failed credential checks by mechanism, logins by result, the lock-out by scope
    const after = await scrapeMetrics(pop3Ops);
    expect(increase(before, after, 'mail_pop3_auth_failures_total')).toBe(MAX_FAILURES_PER_USER);
    for (const mechanism of ['pass', 'plain', 'apop']) expect(increase(before, after, 'mail_pop3_auth_failures_total', { mechanism })).toBeGreaterThan(0);
    expect(increase(before, after, 'mail_pop3_logins_total', { result: 'blocked' })).toBe(3);
    expect(increase(before, after, 'mail_pop3_auth_lockouts_total', { scope: 'user' })).toBe(1);
    expect(increase(before, after, 'mail_pop3_auth_lockouts_total', { scope: 'ip' })).toBe(0);
    for (const [i, text] of after.entries()) expect(increase([before[i] ?? ''], [text], 'mail_pop3_auth_failures_total')).toBeGreaterThan(0);
  });

  it('POP3: refuses an address that guesses across many user names; other addresses still log in', async () => {
    const before = await scrapeMetrics(pop3Ops);
    const mechanisms = ['pass', 'plain', 'apop'] as const;
    for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
      const attempt = await pop3Login(alternate(pop3, i), '127.0.0.33', mechanisms[i % mechanisms.length] ?? 'pass', `nobody${i}@example.test`, 'guess');
      expect(attempt.reply).toBe('-ERR [AUTH] invalid user name or password');
    }
    expect((await pop3Login(pop3[1], '127.0.0.33', 'pass', 'bob@example.test', 'hungry')).reply).toMatch(/^-ERR \[AUTH\] too many failed logins/);
    expect((await pop3Login(pop3[0], '127.0.0.34', 'pass', 'bob@example.test', 'hungry')).reply).toMatch(/^\+OK/);
    const after = await scrapeMetrics(pop3Ops);
    expect(increase(before, after, 'mail_pop3_auth_failures_total')).toBe(MAX_FAILURES_PER_IP);
    expect(increase(before, after, 'mail_pop3_logins_total', { result: 'blocked' })).toBe(1);
    expect(increase(before, after, 'mail_pop3_auth_lockouts_total', { scope: 'ip' })).toBe(1);
    expect(increase(before, after, 'mail_pop3_auth_lockouts_total', { scope: 'user' })).toBe(0);
  });

  it('labels /metrics with no user names nor addresses, after failures with both on each replica', async () => {
    // Wrong passwords of its own, so that a series labelled by user or address would show
    for (const i of [0, 1]) {
      expect((await smtpAuth(submission[i] ?? 0, '127.0.0.41', 'PLAIN', 'nosy@example.test', 'guess')).reply).toMatch(/^535 /);
      expect((await pop3Login(pop3[i] ?? 0, '127.0.0.41', 'pass', 'nosy@example.test', 'guess')).reply).toBe('-ERR [AUTH] invalid user name or password');
    }
    const texts = [...(await scrapeMetrics(smtpOps)), ...(await scrapeMetrics(pop3Ops))];
    expect(sumSamples(texts.slice(0, 2), 'mail_smtp_auth_attempts_total', { result: 'failure' })).toBeGreaterThanOrEqual(2);
    expect(sumSamples(texts.slice(2), 'mail_pop3_auth_failures_total')).toBeGreaterThanOrEqual(2);
    // Low-cardinality labels only: no user name (nor any address) in any series
    for (const text of texts) expect(text).not.toMatch(/victim|nobody|nosy|bob|@example\.test|127\.0\.0\./);
  });
});
