/**
 * Hostile messages through the running platform (issue 10): each message of
 * the corpus (hostile-corpus.ts) goes in over SMTP and gets its documented
 * outcome (docs/security.md) — stored byte for byte and read back over
 * POP3, or refused at the end of DATA with the reply naming the problem —
 * the platform keeps serving (an ordinary message sent right after is
 * stored), and no service's event loop is delayed 200 ms or more meanwhile
 * (mail_event_loop_delay_max_seconds, reset by each scrape).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pop3Client } from '@mail/pop3-client';
import { LineClient, serviceNames, startMailStack, waitFor, type MailStack, type ServiceName } from '@mail/testing';
import { dotStuff, hostileCorpus, type HostileCase } from './hostile-corpus';

const user = 'bob@example.test';
const password = 'hostile-test-pw';
const maxMessageSize = 2 * 1024 * 1024;
/** The promise of issue 10: no event-loop stall of 200 ms or more. */
const maxEventLoopDelaySeconds = 0.2;
/** Attempts of a case before a stall counts (see the test). */
const stallAttempts = 3;

/** The longest event-loop delay of each service since the previous scrape. */
async function eventLoopDelays(stack: MailStack): Promise<Map<ServiceName, number>> {
  const delays = new Map<ServiceName, number>();
  for (const name of serviceNames) {
    const service = stack.services.get(name);
    if (service === undefined) continue;
    const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
    const value = /^mail_event_loop_delay_max_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text)?.[1];
    if (value === undefined) throw new Error(`${name} exports no mail_event_loop_delay_max_seconds`);
    delays.set(name, Number(value));
  }
  return delays;
}

/** One SMTP transaction; resolves with the reply to the end of DATA. */
async function send(stack: MailStack, message: Buffer): Promise<string> {
  const smtp = await LineClient.open(stack.smtpPort);
  try {
    expect((await smtp.readSmtpReply()).code).toBe(220);
    expect((await smtp.smtp('EHLO hostile.test')).code).toBe(250);
    // No BODY=8BITMIME on purpose: the 8-bit cases test what a sloppy client sends.
    expect((await smtp.smtp('MAIL FROM:<mallory@hostile.test>')).code).toBe(250);
    expect((await smtp.smtp(`RCPT TO:<${user}>`)).code).toBe(250);
    expect((await smtp.smtp('DATA')).code).toBe(354);
    smtp.write(dotStuff(message));
    smtp.write('.\r\n');
    const reply = await smtp.readSmtpReply(60_000);
    smtp.send('QUIT');
    return reply.text;
  } finally {
    smtp.close();
  }
}

/** Every message in the maildrop (as stored: trace lines + what was sent), deleting them when asked. */
async function maildrop(stack: MailStack, options: { delete: boolean }): Promise<Buffer[]> {
  const pop3 = await Pop3Client.login(stack.pop3Port, user, password);
  try {
    const { count } = await pop3.stat();
    const messages: Buffer[] = [];
    for (let n = 1; n <= count; n += 1) {
      messages.push((await pop3.retrieve(n)).content);
      if (options.delete) expect(await pop3.command(`DELE ${n}`)).toMatch(/^\+OK/);
    }
    expect(await pop3.command('QUIT')).toMatch(/^\+OK/);
    return messages;
  } finally {
    pop3.close();
  }
}

const endsWith = (stored: Buffer, sent: Buffer): boolean => stored.length >= sent.length && stored.subarray(stored.length - sent.length).equals(sent);

describe('hostile messages', () => {
  let stack: MailStack;
  const corpus: HostileCase[] = hostileCorpus(user, maxMessageSize);
  const observed: string[] = [];

  beforeAll(async () => {
    stack = await startMailStack({ env: { MAX_MESSAGE_SIZE: String(maxMessageSize) } });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', user, '--password', password)).code).toBe(0);
    // Warm-up: the first message starts the parser worker threads and the services' first-use code paths.
    const first = Buffer.from('Subject: warm-up\r\n\r\nhello\r\n', 'latin1');
    expect(await send(stack, first)).toMatch(/^250 /);
    await waitFor(async () => (await maildrop(stack, { delete: true })).length === 1, { timeoutMs: 90_000, intervalMs: 250, description: 'the warm-up message' });
  });
  afterAll(async () => {
    if (observed.length > 0) console.info(`hostile messages (case: reply; largest event-loop delay of each service):\n${observed.join('\n')}`);
    await stack?.stop();
  });

  /** Sends the case and an ordinary message after it, checks both outcomes; resolves with each service's largest event-loop delay meanwhile. */
  async function attempt(hostile: HostileCase): Promise<{ reply: string; delays: Map<ServiceName, number> }> {
    await eventLoopDelays(stack); // resets every service's maximum
    const reply = await send(stack, hostile.message);
    if (hostile.outcome.kind === 'refused') expect(reply).toMatch(hostile.outcome.reply);
    else expect(reply).toMatch(/^250 /);

    const ordinary = Buffer.from(`From: <alice@crepes.fr>\r\nSubject: after ${hostile.name}\r\n\r\nstill here\r\n`, 'latin1');
    expect(await send(stack, ordinary)).toMatch(/^250 /);
    const expected = hostile.outcome.kind === 'stored' ? 2 : 1;
    await waitFor(async () => (await maildrop(stack, { delete: false })).some((m) => endsWith(m, ordinary)), {
      timeoutMs: 90_000,
      intervalMs: 250,
      description: `the ordinary message sent after ${hostile.name}`,
    });
    const messages = await waitFor(
      async () => {
        const found = await maildrop(stack, { delete: false });
        return found.length >= expected ? found : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, description: `${expected} message(s) after ${hostile.name}` },
    );
    expect(messages).toHaveLength(expected);
    if (hostile.outcome.kind === 'stored') expect(messages.some((m) => endsWith(m, hostile.message))).toBe(true);
    await maildrop(stack, { delete: true });
    return { reply, delays: await eventLoopDelays(stack) };
  }

  const describeDelays = (delays: Map<ServiceName, number>): string => [...delays].map(([name, seconds]) => `${name} ${(seconds * 1000).toFixed(0)} ms`).join(', ');

  it.each(corpus.map((c) => [c.name, c] as const))('%s: gets its documented outcome, the platform keeps serving, no event loop stalls', async (_name, hostile) => {
    // A parser stall is deterministic: the service that parses badly stalls on every attempt. A shared, loaded
    // CI machine also delays event loops now and then (no CPU for the process), a different service each time,
    // even those the message never reaches. So a case fails the stall check only when the same service stalls
    // on every attempt.
    const attempts: string[] = [];
    let stalledEachTime: ServiceName[] | undefined;
    for (let n = 1; n <= stallAttempts; n += 1) {
      const { reply, delays } = await attempt(hostile);
      attempts.push(describeDelays(delays));
      const stalled = [...delays].filter(([, delay]) => delay >= maxEventLoopDelaySeconds).map(([name]) => name);
      stalledEachTime = stalledEachTime === undefined ? stalled : stalledEachTime.filter((name) => stalled.includes(name));
      if (stalledEachTime.length === 0) {
        observed.push(`${hostile.name}: ${reply.split('\n')[0]?.slice(0, 40)}; attempt ${n}: ${attempts[n - 1]}`);
        return;
      }
    }
    expect.fail(`${hostile.name} delayed the event loop of ${stalledEachTime?.join(', ')} by ${maxEventLoopDelaySeconds * 1000} ms or more on each attempt:\n${attempts.join('\n')}`);
  });
});
