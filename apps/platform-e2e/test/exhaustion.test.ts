/**
 * Exhaustion (slowloris) against the running platform (issue 10):
 * thousands of idle connections are opened against SMTP and POP3 from
 * several loopback source addresses (127.0.0.2, …: all of 127.0.0.0/8 is
 * local on Linux, so each is a different client IP). The per-IP limit
 * (SMTP_MAX_CONNECTIONS_PER_IP, POP3_MAX_CONNECTIONS_PER_IP) and the
 * per-process cap (SMTP_MAX_CONNECTIONS, POP3_MAX_CONNECTIONS) bound what is
 * held: the excess gets 421 / -ERR [SYS/TEMP] and is closed by the server;
 * the idle timeout (SMTP_IDLE_TIMEOUT, POP3_IDLE_TIMEOUT, short here) closes
 * the rest; the services' resident memory stays bounded; and a normal client
 * from another address is served meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailStack, waitFor, type MailStack } from '@mail/testing';
import { BoundLineClient, openConnections, type OpenedConnection } from './bound-line-client';
import { residentMiB, scrapeMetrics, serviceOf, sumSamples } from './service-observations';

const PER_IP_LIMIT = 100;
const PROCESS_LIMIT = 1200;
const IDLE_TIMEOUT_S = 45;
/** Growth of a service's resident memory the test tolerates (generous: a loaded machine, a cold JIT). */
const MEMORY_GROWTH_LIMIT_MIB = 150;

type Protocol = 'smtp' | 'pop3';
type Moment = 'before' | 'during' | 'after';

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
