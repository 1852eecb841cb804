/**
 * imap-server against hostile clients (issue 18: "literal sizes, command
 * lengths, nesting depth and concurrent commands are bounded, with clear
 * tagged NO/BAD answers"), every service a real process with real NATS,
 * PostgreSQL and Redis: each bound answers as apps/imap-server/README.md
 * says — an over-long line, literals over their limits (synchronizing,
 * non-synchronizing, APPEND), deep nesting, huge sequence sets, thousands
 * of pipelined commands from a client that does not read, garbage in
 * AUTHENTICATE and IDLE, the error budget, the per-network slots and the
 * process's cap — and after each, another client is served as usual. The
 * service logs no error throughout.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient, startMailStack, waitFor, type MailStack } from '@mail/testing';
import { ImapTestClient } from './fixtures/imap-client';

const USER = 'bob@example.test';
const PASSWORD = 'hungry';
const MAX_ERRORS = 5;
const PER_NETWORK = 4;
const PROCESS_CAP = 12;
/** The reader's bounds (CommandReader defaults as imap-server sets them). */
const LINE_LIMIT = 65_536;
const LITERAL_LIMIT = 65_536;

async function loggedIn(port: number): Promise<ImapTestClient> {
  const { client } = await ImapTestClient.open(port);
  expect((await client.command(`LOGIN ${USER} ${PASSWORD}`)).status).toMatch(/^OK \[CAPABILITY /);
  return client;
}

/** The next tagged line for `tag`, the untagged ones before it skipped. */
async function tagged(client: ImapTestClient, tag: string): Promise<string> {
  return (await client.waitForLine(new RegExp(`^${tag} `), 30_000)).text;
}

/** A connection from `localAddress` (a client network of its own on loopback) and its first line. */
async function openFrom(port: number, localAddress: string): Promise<{ client: LineClient; greeting: string }> {
  const client = await LineClient.open(port, { localAddress, replyTimeoutMs: 30_000 });
  return { client, greeting: await client.readLine() };
}

describe('imap-server under hostile input', () => {
  let stack: MailStack;
  let port: number;

  /** A value of imap-server's /metrics: the series of `name` whose labels include `label`. */
  async function metric(name: string, label = ''): Promise<number> {
    const ops = stack.services.get('imap-server')?.opsPort;
    const text = await (await fetch(`http://127.0.0.1:${ops}/metrics`)).text();
    const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(label));
    return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
  }

  /** Another client is served as usual: logs in, selects, reads, logs out. */
  async function servedAnother(): Promise<void> {
    const client = await loggedIn(port);
    expect((await client.command('SELECT INBOX')).status).toBe('OK [READ-WRITE] SELECT completed');
    expect((await client.command('UID FETCH 1:* (FLAGS)')).status).toBe('OK FETCH completed');
    expect((await client.command('LOGOUT')).status).toBe('OK LOGOUT completed');
    client.close();
  }

  beforeAll(async () => {
    stack = await startMailStack({
      services: ['mailbox-store', 'imap-server'],
      env: {
        IMAP_ALLOW_PLAINTEXT_AUTH: 'true',
        IMAP_AUTH_FAILURE_DELAY: '10ms',
        IMAP_MAX_ERRORS: String(MAX_ERRORS),
        IMAP_MAX_CONNECTIONS: String(PROCESS_CAP),
        IMAP_MAX_CONNECTIONS_PER_IP: String(PER_NETWORK),
      },
    });
    port = stack.imapPort as number;
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', USER, '--password', PASSWORD)).code).toBe(0);
    const client = await loggedIn(port);
    for (const n of [1, 2, 3]) {
      const message = `Subject: message ${n}\r\n\r\nhello ${n}\r\n`;
      client.write(`a${n} APPEND INBOX {${message.length}+}\r\n${message}\r\n`);
      expect(await tagged(client, `a${n}`)).toMatch(/^a\d OK \[APPENDUID \d+ \d+\]/);
    }
    client.close();
  });

  afterAll(async () => {
    const output = stack?.services.get('imap-server')?.output() ?? '';
    await stack?.stop();
    // Every bad input got a protocol answer; none was a failure of the service
    expect(output.split('\n').filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it('refuses an over-long command line with BAD naming the limit, throws the rest of it away, and goes on', async () => {
    const client = await loggedIn(port);
    client.write(`x1 SELECT ${'x'.repeat(LINE_LIMIT + 10)}\r\nx2 NOOP\r\n`);
    expect(await tagged(client, 'x1')).toBe(`x1 BAD [TOOBIG] Command line too long (limit ${LINE_LIMIT} octets)`);
    expect(await tagged(client, 'x2')).toBe('x2 OK NOOP completed');
    // Megabytes of one line, ending with a non-synchronizing literal (RFC 7888 §4: thrown away too), keep nothing and answer once
    client.write(`x3 LOGIN ${'y'.repeat(4 * 1024 * 1024)} {5+}\r\nx4 NO\r\nx5 NOOP\r\n`);
    expect(await tagged(client, 'x3')).toBe(`x3 BAD [TOOBIG] Command line too long (limit ${LINE_LIMIT} octets)`);
    expect(await tagged(client, 'x5')).toBe('x5 OK NOOP completed');
    client.close();
    await servedAnother();
  });

  it('refuses literals over their limits: synchronizing before the +, non-synchronizing once read and thrown away, and closes past what it will read', async () => {
    const { client } = await ImapTestClient.open(port);
    // RFC 9051 §7.5: no `+`, the client drops the command
    client.write(`y1 LOGIN {${LITERAL_LIMIT + 1}}\r\n`);
    expect((await client.nextLine()).text).toBe(`y1 BAD [TOOBIG] Literal too large (limit ${LITERAL_LIMIT} octets)`);
    expect((await client.command('NOOP')).status).toBe('OK NOOP completed');
    client.write(`y2 LOGIN {${LITERAL_LIMIT + 1}+}\r\n${'z'.repeat(LITERAL_LIMIT + 1)} ${PASSWORD}\r\n`);
    expect((await client.nextLine()).text).toBe(`y2 BAD [TOOBIG] Literal too large (limit ${LITERAL_LIMIT} octets)`);
    // RFC 7889: over APPENDLIMIT, before the `+`
    client.write(`y3 APPEND INBOX {${64 * 1024 * 1024 + 1}}\r\n`);
    expect((await client.nextLine()).text).toBe(`y3 NO [TOOBIG] Literal too large (limit ${64 * 1024 * 1024} octets)`);
    // More than the server reads to throw away (1 MiB outside APPEND): BAD, BYE, closed
    client.write(`y4 LOGIN {${8 * 1024 * 1024}+}\r\n`);
    expect((await client.nextLine()).text).toBe(`y4 BAD [TOOBIG] Literal too large (limit ${LITERAL_LIMIT} octets)`);
    expect((await client.nextLine()).text).toMatch(/^\* BYE /);
    await waitFor(() => client.closed, { description: 'the connection closed by the server' });
    await servedAnother();
  });

  it('refuses nesting deeper than 32 with BAD [LIMIT] and answers huge sequence sets', async () => {
    const client = await loggedIn(port);
    expect((await client.command('SELECT INBOX')).status).toBe('OK [READ-WRITE] SELECT completed');
    expect((await client.command(`SEARCH ${'('.repeat(33)}ALL${')'.repeat(33)}`)).status).toBe('BAD [LIMIT] Nesting deeper than 32');
    const nested = await client.command(`SEARCH ${'('.repeat(31)}ALL${')'.repeat(31)}`);
    expect(nested.status).toBe('OK SEARCH completed');
    expect(nested.untagged.map((l) => l.text)).toEqual(['* SEARCH 1 2 3']);
    // 9,000 UIDs (45 KB), sent to mailbox-store in sets of at most 1,000 ranges
    const uids = Array.from({ length: 9000 }, (_, i) => 3 * i + 1).join(',');
    const fetched = await client.command(`UID FETCH ${uids} (UID)`);
    expect(fetched.status).toBe('OK FETCH completed');
    expect(fetched.untagged.map((l) => l.text)).toEqual(['* 1 FETCH (UID 1)']);
    expect((await client.command('FETCH 1:4294967296 (FLAGS)')).status).toMatch(/^BAD /);
    expect((await client.command('UID STORE 1:4294967295 +FLAGS (\\Bogus)')).status).toBe('BAD Unknown system flag, or too many flags');
    client.close();
    await servedAnother();
  });

  it('answers garbage in AUTHENTICATE and IDLE continuations, and an IDLE left without DONE', async () => {
    const { client } = await ImapTestClient.open(port);
    client.write('z1 AUTHENTICATE PLAIN\r\n');
    expect((await client.nextLine()).text).toBe('+ ');
    client.write('!!not base64\u00ff\r\n');
    expect(await tagged(client, 'z1')).toMatch(/^z1 BAD /);
    expect((await client.command(`LOGIN ${USER} ${PASSWORD}`)).status).toMatch(/^OK /);
    client.write('z2 IDLE\r\n');
    expect((await client.nextLine()).text).toBe('+ idling');
    client.write('z3 NOOP\r\n');
    expect(await tagged(client, 'z2')).toBe('z2 BAD Expected DONE to end IDLE');
    client.write('z4 IDLE\r\n');
    expect((await client.nextLine()).text).toBe('+ idling');
    client.close(); // gone without DONE
    await servedAnother();
  });

  it('runs thousands of pipelined commands in order, and serves others while a client writes without reading', async () => {
    const client = await loggedIn(port);
    client.write(Array.from({ length: 1000 }, (_, i) => `p${i + 1} NOOP\r\n`).join(''));
    for (let i = 1; i <= 1000; i++) expect((await client.nextLine()).text).toBe(`p${i} OK NOOP completed`);
    client.close();

    // A client that writes megabytes of commands and reads nothing: the server stops reading it (backpressure), and serves others
    const big = `Subject: big\r\n\r\n${'x'.repeat(76).concat('\r\n').repeat(3400)}`; // 265 KB
    const setup = await loggedIn(port);
    expect((await setup.command('CREATE Big')).status).toBe('OK CREATE completed');
    setup.write(`b1 APPEND Big {${big.length}+}\r\n${big}\r\n`);
    expect(await tagged(setup, 'b1')).toMatch(/^b1 OK /);
    setup.close();
    const fetches = 40; // 10 MB of answers, more than the socket buffers hold
    const pipelined = 2000; // 16 MB of commands, answered without asking mailbox-store (no such UIDs)
    const greedy: Socket = connect(port, '127.0.0.1');
    greedy.pause();
    await new Promise<void>((resolve, reject) => greedy.once('connect', resolve).once('error', reject));
    const absent = Array.from({ length: 1100 }, (_, i) => 1_000_000 + 2 * i).join(',');
    greedy.write(`q0 LOGIN ${USER} ${PASSWORD}\r\nq1 SELECT Big\r\n`);
    greedy.write(Array.from({ length: fetches }, (_, i) => `f${i} FETCH 1 (BODY.PEEK[])\r\n`).join(''));
    greedy.write(Array.from({ length: pipelined }, (_, i) => `l${i} UID FETCH ${absent} (UID)\r\n`).join(''));
    await servedAnother();
    // What the server has not read is still on the client's side: it holds a bounded queue, not the 16 MB
    expect(greedy.writableLength).toBeGreaterThan(0);
    // Then it reads: every command answered, in order
    let received = '';
    greedy.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    greedy.resume();
    await waitFor(() => received.includes(`l${pipelined - 1} OK`), { timeoutMs: 90_000, description: 'the last pipelined command answered' });
    const tags = received
      .split('\r\n')
      .filter((line) => /^[qfl]\d+ (?:OK|NO|BAD) /.test(line))
      .map((line) => line.slice(0, line.indexOf(' ')));
    expect(tags).toEqual(['q0', 'q1', ...Array.from({ length: fetches }, (_, i) => `f${i}`), ...Array.from({ length: pipelined }, (_, i) => `l${i}`)]);
    expect(received.split('\r\n').filter((line) => / (?:NO|BAD) /.test(line) && /^[qfl]\d+ /.test(line))).toEqual([]);
    greedy.destroy();
  }, 120_000);

  it('ends a session whose mistakes reach IMAP_MAX_ERRORS with BYE', async () => {
    const { client } = await ImapTestClient.open(port);
    for (let i = 1; i < MAX_ERRORS; i++) expect((await client.command('FROB')).status).toBe('BAD Unknown command FROB');
    client.write('e5 FROB\r\n');
    expect((await client.nextLine()).text).toBe('e5 BAD Unknown command FROB');
    expect((await client.nextLine()).text).toBe('* BYE Too many invalid commands');
    await waitFor(() => client.closed, { description: 'the connection closed by the server' });
    await servedAnother();
  });

  it('refuses connections past the per-network slots and the process cap with BYE [UNAVAILABLE] instead of the greeting', async () => {
    await waitFor(async () => (await metric('mail_imap_sessions_active')) === 0, { description: 'no session left from the tests before' });
    const held: LineClient[] = [];
    const hold = async (address: string): Promise<void> => {
      const { client, greeting } = await openFrom(port, address);
      expect(greeting).toMatch(/^\* OK \[CAPABILITY /);
      held.push(client);
    };
    for (let i = 0; i < PER_NETWORK; i++) await hold('127.0.0.11');
    const refused = await openFrom(port, '127.0.0.11');
    expect(refused.greeting).toBe('* BYE [UNAVAILABLE] Too many connections from your address, try again later');
    await refused.client.waitClosed();
    // Another network is served meanwhile
    await hold('127.0.0.12');
    // A slot given back is taken again (released once the server saw the session end)
    held.shift()?.close();
    await waitFor(
      async () => {
        const next = await openFrom(port, '127.0.0.11');
        if (next.greeting.startsWith('* OK ')) held.push(next.client);
        else next.client.close();
        return next.greeting.startsWith('* OK ');
      },
      { description: 'a freed slot admitting the network again' },
    );
    // The process's cap, whatever the networks
    while (held.length < PROCESS_CAP) await hold(`127.0.0.${13 + Math.floor((held.length - PER_NETWORK - 1) / PER_NETWORK)}`);
    const full = await openFrom(port, '127.0.0.20');
    expect(full.greeting).toBe('* BYE [UNAVAILABLE] Too many open connections on this server, try again later');
    await full.client.waitClosed();
    expect(await metric('mail_imap_connections_refused_total', 'reason="per-ip"')).toBeGreaterThanOrEqual(1);
    expect(await metric('mail_imap_connections_refused_total', 'reason="capacity"')).toBe(1);
    for (const client of held) client.close();
    await waitFor(async () => (await metric('mail_imap_sessions_active')) === 0, { description: 'every held session ended' });
    await servedAnother();
  });
});
