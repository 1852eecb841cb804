/**
 * The gauges the IMAP dashboard and the autoscaler read — open sessions
 * (`mail_imap_sessions_active`, the imap-server HPA's Pods metric) and
 * sessions in IDLE (`mail_imap_sessions_idle`) — scraped from the real
 * process's /metrics: a session counts from its connection (logging in does
 * not count it twice), IDLE from `+ idling` to its end, and each falls
 * exactly once whichever way the session ends — LOGOUT, a client that hangs
 * up or resets the connection in IDLE, the autologout timers (before login
 * and after it, in IDLE), and the drain on SIGTERM (`* BYE` at once to the
 * sessions between commands and in IDLE, after its command to a session
 * busy in one, then the process exits 0). Every mail_imap_* series the
 * dashboard queries is in the exposition.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { LineClient, waitFor, workspaceRoot, type ServiceProcess } from '@mail/testing';
import { USER_PASSWORD, imapStackForSuite } from './fixtures/imap-stack';

const user = 'bob@example.test';

type Gauges = { active: number; idle: number };

/** A series of the exposition, summed over its label sets (0 when it is not there). */
function series(exposition: string, name: string): number {
  let sum = 0;
  for (const match of exposition.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(match[1]);
  return sum;
}

async function exposition(service: ServiceProcess): Promise<string> {
  return (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
}

async function gauges(service: ServiceProcess): Promise<Gauges> {
  const text = await exposition(service);
  return { active: series(text, 'mail_imap_sessions_active'), idle: series(text, 'mail_imap_sessions_idle') };
}

/** Every connection a test opened, closed after it whatever happened. */
const opened = new Set<LineClient>();

/** A connection past the greeting. */
async function connect(port: number): Promise<LineClient> {
  const client = await LineClient.open(port, { replyTimeoutMs: 30_000 });
  opened.add(client);
  expect(await client.readLine()).toMatch(/^\* OK \[CAPABILITY /);
  return client;
}

/** Sends a tagged command and returns its lines up to the tagged status (literals not expected). */
async function command(client: LineClient, tag: string, line: string): Promise<string[]> {
  client.send(`${tag} ${line}`);
  const lines: string[] = [];
  for (;;) {
    const text = await client.readLine();
    lines.push(text);
    if (text.startsWith(`${tag} `)) return lines;
  }
}

async function loggedIn(port: number): Promise<LineClient> {
  const client = await connect(port);
  expect((await command(client, 'a1', `LOGIN ${user} ${USER_PASSWORD}`)).at(-1)).toMatch(/^a1 OK /);
  return client;
}

/** Logged in, INBOX selected, IDLE begun (RFC 2177). */
async function idling(port: number): Promise<LineClient> {
  const client = await loggedIn(port);
  expect((await command(client, 'a2', 'SELECT INBOX')).at(-1)).toBe('a2 OK [READ-WRITE] SELECT completed');
  client.send('i1 IDLE');
  expect(await client.readLine()).toBe('+ idling');
  return client;
}

/** Reads lines up to the `* BYE`, then waits for the server to close the connection. */
async function byeThenClosed(client: LineClient, bye: RegExp): Promise<void> {
  let line: string;
  do line = await client.readLine();
  while (!line.startsWith('* BYE '));
  expect(line).toMatch(bye);
  await client.waitClosed();
  expect(client.closedByServer).toBe(true);
}

describe('imap-server sessions gauges', () => {
  const stack = imapStackForSuite({
    services: ['mailbox-store', 'imap-server'],
    // a session busy in a FETCH keeps its place through the drain for the whole test
    env: { IMAP_SHUTDOWN_GRACE: '120s' },
    users: [user],
  });
  let service: ServiceProcess;
  let last: Gauges = { active: -1, idle: -1 };

  /** Waits until the process's gauges read `expected`. */
  const gaugesRead = (process: ServiceProcess, expected: Gauges): Promise<unknown> =>
    waitFor(
      async () => {
        last = await gauges(process);
        return last.active === expected.active && last.idle === expected.idle;
      },
      { timeoutMs: 30_000, description: `sessions ${JSON.stringify(expected)} (last read ${JSON.stringify(last)})` },
    );

  beforeAll(() => {
    const started = stack.services.get('imap-server');
    if (started === undefined) throw new Error('imap-server is not running');
    service = started;
  });
  afterEach(() => {
    for (const client of opened) client.close();
    opened.clear();
  });

  it('counts each session from its connection and each IDLE, and drops them once on DONE, LOGOUT, a reset and a hang-up', async () => {
    const port = stack.imapPort;
    await gaugesRead(service, { active: 0, idle: 0 });
    const anonymous = await connect(port);
    await gaugesRead(service, { active: 1, idle: 0 });
    const plain = await loggedIn(port);
    await gaugesRead(service, { active: 2, idle: 0 });
    const waiting = await idling(port);
    const resetting = await idling(port);
    await gaugesRead(service, { active: 4, idle: 2 });

    resetting.socket.resetAndDestroy();
    await gaugesRead(service, { active: 3, idle: 1 });

    waiting.send('DONE');
    expect(await waiting.readLine()).toBe('i1 OK IDLE terminated');
    await gaugesRead(service, { active: 3, idle: 0 });
    const logout = await command(waiting, 'a3', 'LOGOUT');
    expect(logout).toEqual([expect.stringMatching(/^\* BYE /), 'a3 OK LOGOUT completed']);
    await waiting.waitClosed();
    await gaugesRead(service, { active: 2, idle: 0 });

    plain.close();
    anonymous.close();
    await gaugesRead(service, { active: 0, idle: 0 });
    // Gauges for Prometheus (up-down counters), under exactly these names
    const text = await exposition(service);
    expect(text).toContain('# TYPE mail_imap_sessions_active gauge\n');
    expect(text).toContain('# TYPE mail_imap_sessions_idle gauge\n');
  });

  it('drops the sessions the autologout timers end, before login and in IDLE (RFC 9051 §5.4)', async () => {
    // a replica of its own with short timers; the same platform otherwise
    const replica = await stack.startReplica('imap-server', { IMAP_LOGIN_TIMEOUT: '5s', IMAP_IDLE_TIMEOUT: '8s' });
    const port = replica.ports.imap as number;
    const idle = await idling(port);
    const anonymous = await connect(port);
    await gaugesRead(replica.process, { active: 2, idle: 1 });
    await byeThenClosed(anonymous, /^\* BYE Autologout/);
    await gaugesRead(replica.process, { active: 1, idle: 1 });
    await byeThenClosed(idle, /^\* BYE Autologout/);
    await gaugesRead(replica.process, { active: 0, idle: 0 });
    expect(await replica.stop('SIGTERM')).toBe(0);
  }, 90_000);

  it('is what the dashboard and the autoscaler read: every mail_imap_* series they query is exported', async () => {
    const text = await exposition(service);
    const dashboard = await readFile(join(workspaceRoot, 'deploy/grafana/imap.json'), 'utf8');
    const queried = new Set([...dashboard.matchAll(/\bmail_imap_[a-z_]+/g)].map((match) => match[0]));
    expect(queried).toContain('mail_imap_sessions_active');
    expect(queried).toContain('mail_imap_sessions_idle');
    for (const name of queried) expect(text, name).toMatch(new RegExp(`^${name}(\\{| )`, 'm'));

    type Hpa = { kind: string; metadata: { name: string }; spec: { metrics: { type: string; pods?: { metric: { name: string } } }[] } };
    const objects = parseAllDocuments(await readFile(join(workspaceRoot, 'deploy/kubernetes/base/autoscaling.yaml'), 'utf8')).map((d) => d.toJS() as Hpa);
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'imap-server');
    expect(hpa?.spec.metrics.filter((m) => m.type === 'Pods').map((m) => m.pods?.metric.name)).toEqual(['mail_imap_sessions_active']);
    type AdapterValues = { rules: { custom: { seriesQuery: string; name: { as: string } }[] } };
    const adapter = parse(await readFile(join(workspaceRoot, 'deploy/dependencies/prometheus-adapter.values.yaml'), 'utf8')) as AdapterValues;
    expect(adapter.rules.custom.find((r) => r.name.as === 'mail_imap_sessions_active')?.seriesQuery).toMatch(/^mail_imap_sessions_active\{/);
  });

  it('drains on SIGTERM: BYE at once between commands and in IDLE, after its command to a busy session; each leaves the gauges once', async () => {
    const port = stack.imapPort;
    // A message larger than the socket buffers of both ends (here at most 4 MiB sent and a little received while the client
    // does not read: tcp_wmem's maximum, and a receive buffer that grows only as the client reads): a FETCH of it stays in its command
    const line = `${'x'.repeat(76)}\r\n`;
    const size = 8 * 1024 * 1024;
    const message = `Subject: big\r\nFrom: Bob <${user}>\r\n\r\n${line.repeat(Math.ceil(size / line.length))}`;
    const busy = await loggedIn(port);
    busy.write(`a2 APPEND INBOX {${Buffer.byteLength(message)}+}\r\n${message}\r\n`);
    expect(await busy.readLine(60_000)).toMatch(/^a2 OK \[APPENDUID /);
    expect((await command(busy, 'a3', 'SELECT INBOX')).at(-1)).toBe('a3 OK [READ-WRITE] SELECT completed');
    busy.socket.pause();
    busy.send('a4 FETCH 1 BODY.PEEK[]');

    const idle = await idling(port);
    const plain = await loggedIn(port);
    const anonymous = await connect(port);
    await gaugesRead(service, { active: 4, idle: 1 });
    // the FETCH has not finished: its session is in the command when the drain begins
    expect(await exposition(service)).not.toMatch(/^mail_imap_commands_total\{[^}]*command="FETCH"/m);

    const exited = service.stop('SIGTERM', 120_000);
    const draining = /^\* BYE \[UNAVAILABLE\] Server shutting down, reconnect$/;
    await Promise.all([idle, plain, anonymous].map((client) => byeThenClosed(client, draining)));
    await gaugesRead(service, { active: 1, idle: 0 });

    // The client reads again: the whole message, the tagged OK, then the BYE
    busy.socket.resume();
    const fetched = await busy.readUntil('a4 OK FETCH completed\r\n', 60_000);
    expect(fetched.subarray(0, 100).toString('latin1')).toMatch(new RegExp(`^\\* 1 FETCH \\(.*BODY\\[\\] \\{${Buffer.byteLength(message)}\\}\r\nSubject: big\r\n`));
    expect(fetched.length).toBeGreaterThan(Buffer.byteLength(message));
    expect(await busy.readLine()).toMatch(draining);
    await busy.waitClosed();
    expect(await exited).toBe(0);

    // A new process starts from zero
    service = await stack.start('imap-server');
    await gaugesRead(service, { active: 0, idle: 0 });
  }, 240_000);
});
