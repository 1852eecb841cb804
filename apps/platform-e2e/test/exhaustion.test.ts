/**
 * Exhaustion (slowloris) against the running platform (issue 10):
 * thousands of idle connections are opened against SMTP and POP3 from
 * several loopback source addresses (127.0.1.1, …: all of 127.0.0.0/8 is
 * local on Linux, so each is a different client IP). The per-IP limit
 * (SMTP_MAX_CONNECTIONS_PER_IP, POP3_MAX_CONNECTIONS_PER_IP) and the
 * per-process cap (SMTP_MAX_CONNECTIONS, POP3_MAX_CONNECTIONS) bound what is
 * held: the excess gets 421 / -ERR [SYS/TEMP] and is closed by the server;
 * the idle timeout (SMTP_IDLE_TIMEOUT, POP3_IDLE_TIMEOUT) closes the rest;
 * the services' resident memory stays bounded; and a normal client from
 * another address is served meanwhile.
 *
 * Each test opens its own connections, from addresses of its own (so the
 * per-IP counts in Redis are its own too), and drops them when it ends. The
 * stack's idle timeout is longer than any test may run, so a held
 * connection stays open as long as its test relies on it, however slow the
 * machine; the idle-timeout test starts an smtp-ingress and a pop3-server
 * of its own with a short one and measures each close from that
 * connection's opening.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, LineClient, startMailStack, startServiceProcess, waitFor, type MailStack, type ServiceProcess } from '@mail/testing';
import { residentMiB, scrapeMetrics, serviceOf, sumSamples } from './service-observations';

const PER_IP_LIMIT = 100;
const PROCESS_LIMIT = 1200;
/** Connections held by one test on each service: 100 from each of 11 addresses, 100 short of the cap. */
const HELD = 11 * PER_IP_LIMIT;
/**
 * The stack's idle timeout: longer than the vitest timeouts of all the tests
 * here together, so it never closes a connection a test holds (a test that
 * ran that long has failed on its own timeout already).
 */
const HELD_IDLE_TIMEOUT = '30m';
/** The idle timeout of the services the idle-timeout test starts: short, so that test is quick. */
const IDLE_TIMEOUT_MS = 10_000;
/**
 * How much earlier than IDLE_TIMEOUT_MS after the client began to connect a
 * close may come: Node times a socket's idle timer from the event loop's
 * clock, read once per turn, so on a loop busy accepting a burst of
 * connections the timer may start a little before this client's connect did.
 */
const IDLE_TIMER_SLACK_MS = 1_000;
/** Growth of a service's resident memory the test tolerates (generous: a loaded machine, a cold JIT). */
const MEMORY_GROWTH_LIMIT_MIB = 150;

type Protocol = 'smtp' | 'pop3';

/** A raw connection from `localAddress` (a client IP of its own), reads waiting up to 30 s on a loaded machine. */
function openFrom(port: number, localAddress: string): Promise<LineClient> {
  return LineClient.open(port, { localAddress, replyTimeoutMs: 30_000 });
}

/** A connection and the first line the server sent on it (greeting or refusal). */
interface OpenedConnection {
  readonly client: LineClient;
  readonly first: string;
}

/**
 * Opens `count` connections from `localAddress`, `batchSize` at a time, and
 * waits for each one's first line, so the servers see a bounded burst.
 */
async function openConnections(port: number, localAddress: string, count: number, batchSize = 100): Promise<OpenedConnection[]> {
  const opened: OpenedConnection[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(batchSize, count - start) }, async () => {
        const client = await openFrom(port, localAddress);
        return { client, first: await client.readLine(60_000) };
      }),
    );
    opened.push(...batch);
  }
  return opened;
}

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

/** `count` client addresses 127.0.<block>.<first>, the next one, …: each test takes a block of its own. */
function addresses(block: number, count: number, first = 1): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${block}.${first + i}`);
}

/** Waits until the server has closed every refused connection. */
async function expectClosedByServer(opened: readonly OpenedConnection[]): Promise<void> {
  await waitFor(() => opened.every(({ client }) => client.closedByServer), { timeoutMs: 60_000, description: 'the server closing every refused connection' });
}

/** A full SMTP transaction from `localAddress` to bob; resolves with the final reply to the data. */
async function sendNormalMessage(port: number, localAddress: string, subject: string): Promise<string> {
  const client = await openFrom(port, localAddress);
  try {
    expect((await client.readSmtpReply()).lastLine).toMatch(/^220 /);
    expect((await client.smtp('EHLO normal.test')).lastLine).toMatch(/^250 /);
    expect((await client.smtp('MAIL FROM:<alice@crepes.fr>')).lastLine).toMatch(/^250 /);
    expect((await client.smtp('RCPT TO:<bob@example.test>')).lastLine).toMatch(/^250 /);
    expect((await client.smtp('DATA')).lastLine).toMatch(/^354 /);
    client.send(`From: alice@crepes.fr\r\nTo: bob@example.test\r\nSubject: ${subject}\r\n\r\nStill served.\r\n.`);
    const queued = (await client.readSmtpReply(60_000)).lastLine;
    await client.smtp('QUIT');
    return queued;
  } finally {
    client.close();
  }
}

/** POP3 login and STAT from `localAddress`; resolves with the message count. */
async function statMaildrop(port: number, localAddress: string, user: string, password: string): Promise<number> {
  const client = await openFrom(port, localAddress);
  try {
    expect(await client.readLine()).toMatch(/^\+OK/);
    expect(await client.pop3(`USER ${user}`)).toMatch(/^\+OK/);
    const pass = await client.pop3(`PASS ${password}`);
    if (!pass.startsWith('+OK')) throw new Error(`PASS: ${pass}`);
    const stat = await client.pop3('STAT');
    await client.pop3('QUIT');
    return Number(stat.split(' ')[1]);
  } finally {
    client.close();
  }
}

describe('exhaustion: idle connections held against SMTP and POP3', () => {
  let stack: MailStack;
  let ports: Record<Protocol, number>;
  let pids: Record<Protocol, number>;
  /** Every connection the running test opened: dropped after it. */
  const opened: LineClient[] = [];
  /** Resident memory (MiB) of the services at the moments the tests sample, printed at the end. */
  const memory: Record<string, number> = {};

  const sample = async (moment: string, of: Record<Protocol, number> = pids): Promise<Record<Protocol, number>> => {
    const mib = { smtp: await residentMiB(of.smtp), pop3: await residentMiB(of.pop3) };
    for (const protocol of ['smtp', 'pop3'] as const) memory[`${protocol} ${moment}`] = mib[protocol];
    return mib;
  };

  /** Opens `count` connections from each address on both protocols at once (one address after another: the cap check then sees a bounded burst). */
  const flood = async (to: Record<Protocol, number>, from: readonly string[], count: number, batchSize = 100): Promise<Record<Protocol, OpenedConnection[]>> => {
    const open = async (protocol: Protocol): Promise<OpenedConnection[]> => {
      const all: OpenedConnection[] = [];
      for (const address of from) {
        const batch = await openConnections(to[protocol], address, count, batchSize);
        opened.push(...batch.map(({ client }) => client));
        all.push(...batch);
      }
      return all;
    };
    const [smtp, pop3] = await Promise.all([open('smtp'), open('pop3')]);
    return { smtp, pop3 };
  };

  /** Holds PER_IP_LIMIT connections from each of `from` on both protocols; every one must be admitted. */
  const hold = async (to: Record<Protocol, number>, from: readonly string[]): Promise<Record<Protocol, OpenedConnection[]>> => {
    const held = await flood(to, from, PER_IP_LIMIT);
    for (const protocol of ['smtp', 'pop3'] as const) expect(tally(protocol, held[protocol])).toEqual({ admitted: from.length * PER_IP_LIMIT });
    return held;
  };

  /** Waits until the sessions gauges of the stack's smtp-ingress and pop3-server both read `count`. */
  const sessionsActive = async (count: number, description: string): Promise<void> => {
    const opsPorts = [serviceOf(stack, 'smtp-ingress').opsPort, serviceOf(stack, 'pop3-server').opsPort];
    await waitFor(
      async () => {
        const [smtp = '', pop3 = ''] = await scrapeMetrics(opsPorts);
        return sumSamples([smtp], 'mail_smtp_sessions_active') === count && sumSamples([pop3], 'mail_pop3_sessions_active') === count;
      },
      { timeoutMs: 30_000, description },
    );
  };

  beforeAll(async () => {
    stack = await startMailStack({
      services: ['mailbox-store', 'spam-filter', 'smtp-ingress', 'pop3-server'],
      env: {
        SMTP_MAX_CONNECTIONS_PER_IP: String(PER_IP_LIMIT),
        SMTP_MAX_CONNECTIONS: String(PROCESS_LIMIT),
        SMTP_MAX_CONNECTION_RATE: '0', // the per-minute rate has its own test (smtp-ingress limits.test.ts)
        SMTP_IDLE_TIMEOUT: HELD_IDLE_TIMEOUT,
        POP3_MAX_CONNECTIONS_PER_IP: String(PER_IP_LIMIT),
        POP3_MAX_CONNECTIONS: String(PROCESS_LIMIT),
        POP3_IDLE_TIMEOUT: HELD_IDLE_TIMEOUT,
        LOG_LEVEL: 'warn',
      },
    });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 'hungry')).code).toBe(0);
    ports = { smtp: stack.smtpPort, pop3: stack.pop3Port };
    pids = { smtp: serviceOf(stack, 'smtp-ingress').pid, pop3: serviceOf(stack, 'pop3-server').pid };
    await sample('at start');
  });

  afterEach(async () => {
    for (const client of opened.splice(0)) client.close();
    // The next test's cap counts its own connections only
    await sessionsActive(0, 'the sessions of the test to end');
  });

  afterAll(async () => {
    if (Object.keys(memory).length > 0) console.log('resident memory (MiB)', JSON.stringify(memory));
    await stack?.stop();
  });

  it('lets a flood from one address hit its per-IP limit (closed by the server) while other addresses are admitted', { timeout: 180_000 }, async () => {
    const flooded = await flood(ports, addresses(1, 1), 1000);
    const admitted = await flood(ports, addresses(1, 10, 2), PER_IP_LIMIT);
    for (const protocol of ['smtp', 'pop3'] as const) {
      expect(tally(protocol, flooded[protocol])).toEqual({ admitted: PER_IP_LIMIT, 'per-ip': 1000 - PER_IP_LIMIT });
      expect(tally(protocol, admitted[protocol])).toEqual({ admitted: 10 * PER_IP_LIMIT });
      await expectClosedByServer(flooded[protocol].filter(({ first }) => verdict(protocol, first) === 'per-ip'));
      // The admitted stay open: the idle timeout is far away
      const held = [...flooded[protocol], ...admitted[protocol]].filter(({ first }) => verdict(protocol, first) === 'admitted');
      expect(held.filter(({ client }) => client.closedByServer)).toHaveLength(0);
    }
  });

  it('serves a normal client from another address while 1,100 connections are held on each service', { timeout: 180_000 }, async () => {
    const client = '127.0.2.100';
    const before = await statMaildrop(ports.pop3, client, 'bob@example.test', 'hungry');
    const held = await hold(ports, addresses(2, 11));
    expect(await sendNormalMessage(ports.smtp, client, 'while flooded')).toMatch(/^250 /);
    await waitFor(async () => (await statMaildrop(ports.pop3, client, 'bob@example.test', 'hungry')) === before + 1, {
      timeoutMs: 90_000,
      description: `the message in bob’s maildrop, read over POP3 from ${client}`,
    });
    for (const protocol of ['smtp', 'pop3'] as const) expect(held[protocol].filter(({ client: c }) => c.closedByServer)).toHaveLength(0);
  });

  it('refuses connections past the per-process cap with 421 4.3.2 / -ERR [SYS/TEMP], whatever the address', { timeout: 180_000 }, async () => {
    const held = await hold(ports, addresses(3, 11));
    await sessionsActive(HELD, `the sessions gauges at the ${HELD} held connections`);
    const late = await flood(ports, addresses(3, 4, 12), 50, 50);
    for (const protocol of ['smtp', 'pop3'] as const) {
      expect(tally(protocol, late[protocol])).toEqual({ admitted: PROCESS_LIMIT - HELD, capacity: 200 - (PROCESS_LIMIT - HELD) });
      await expectClosedByServer(late[protocol].filter(({ first }) => verdict(protocol, first) === 'capacity'));
    }
    // A well-behaved newcomer is refused too: the cap protects the process, whoever asks
    const newcomer = '127.0.3.100';
    const [smtpNewcomer, pop3Newcomer] = await Promise.all([openConnections(ports.smtp, newcomer, 1), openConnections(ports.pop3, newcomer, 1)]);
    opened.push(...[...smtpNewcomer, ...pop3Newcomer].map(({ client }) => client));
    expect(smtpNewcomer.map(({ first }) => verdict('smtp', first))).toEqual(['capacity']);
    expect(pop3Newcomer.map(({ first }) => verdict('pop3', first))).toEqual(['capacity']);
    const start = { smtp: memory['smtp at start'] ?? 0, pop3: memory['pop3 at start'] ?? 0 };
    const during = await sample('at the cap');
    for (const protocol of ['smtp', 'pop3'] as const) {
      // The held connections are still open (the idle timeout is far away): the cap counted every one
      expect(held[protocol].filter(({ client }) => client.closedByServer)).toHaveLength(0);
      expect(during[protocol] - start[protocol]).toBeLessThan(MEMORY_GROWTH_LIMIT_MIB);
    }
  });

  it('closes every idle connection at the idle timeout (421 4.4.2 / -ERR), then serves clients again', { timeout: 300_000 }, async () => {
    // An smtp-ingress and a pop3-server of this test's own, with a short idle timeout
    const own = { smtp: await freePort(), submission: await freePort(), pop3: await freePort() };
    const idle = `${IDLE_TIMEOUT_MS}ms`;
    const services: ServiceProcess[] = [];
    try {
      services.push(await startServiceProcess('smtp-ingress', { ...stack.env, SMTP_PORT: String(own.smtp), SUBMISSION_PORT: String(own.submission), SMTP_IDLE_TIMEOUT: idle }));
      services.push(await startServiceProcess('pop3-server', { ...stack.env, POP3_PORT: String(own.pop3), POP3_IDLE_TIMEOUT: idle }));
      const to = { smtp: own.smtp, pop3: own.pop3 };
      const [smtpPid = 0, pop3Pid = 0] = services.map((service) => service.pid);
      const before = await sample('idle test, before', { smtp: smtpPid, pop3: pop3Pid });
      const from = addresses(4, 11);
      const held = await hold(to, from);
      const all = [...held.smtp, ...held.pop3].map(({ client }) => client);
      // Upper bound generous: on a loaded machine the timers and the 2,200 goodbyes come late
      await waitFor(() => all.every((client) => client.closedByServer), {
        timeoutMs: IDLE_TIMEOUT_MS + 120_000,
        intervalMs: 1000,
        description: 'the idle timeout closing every held connection',
      });
      // None before its time: measured from each connection's own opening, whatever the load
      const early = all.filter((client) => (client.serverClosedAt ?? 0) - client.openedAt < IDLE_TIMEOUT_MS - IDLE_TIMER_SLACK_MS);
      expect(early.map((client) => `${((client.serverClosedAt ?? 0) - client.openedAt).toFixed(0)} ms`)).toEqual([]);
      const goodbyes = async (protocol: Protocol): Promise<string[]> => Promise.all(held[protocol].map(({ client }) => client.readLine(1000).catch(() => 'none')));
      expect(new Set((await goodbyes('smtp')).map((line) => line.replace(/mx\.example\.test /, '')))).toEqual(new Set(['421 4.4.2 Timeout waiting for client input, closing connection']));
      expect(new Set(await goodbyes('pop3'))).toEqual(new Set(['-ERR autologout, idle for too long']));
      // An address that was at its per-IP limit is served again
      const [formerlyFull = ''] = from;
      const count = await statMaildrop(to.pop3, formerlyFull, 'bob@example.test', 'hungry');
      expect(await sendNormalMessage(to.smtp, formerlyFull, 'after the flood')).toMatch(/^250 /);
      await waitFor(async () => (await statMaildrop(to.pop3, formerlyFull, 'bob@example.test', 'hungry')) === count + 1, {
        timeoutMs: 90_000,
        description: `the message read from ${formerlyFull}, which held its per-IP limit before`,
      });
      const after = await sample('idle test, after', { smtp: smtpPid, pop3: pop3Pid });
      for (const protocol of ['smtp', 'pop3'] as const) expect(after[protocol] - before[protocol]).toBeLessThan(MEMORY_GROWTH_LIMIT_MIB);
    } finally {
      await Promise.allSettled(services.map((service) => service.stop()));
    }
  });
});
