/**
 * The platform under test: the services of the catalog as real processes
 * (through @mail/testing's startMailStack: own NATS namespace, database,
 * Redis prefix and dns2 server), a local sink for outbound mail reached through MX
 * records in that DNS server, the bench's domain and users created with the
 * real mailctl, and a read-only view of the database to know when messages
 * are stored. Its DNS holds the senders' SPF and DMARC records and a
 * DNSBL zone that spam-filter checks, loopback included, as the reference
 * rspamd does with the same records (bench-dns.ts).
 */
import pg from 'pg';
import { serviceNames, startMailStack, startSmtpSink, waitFor, type MailStack, type SmtpSink } from '@mail/testing';
import { addSenderDns, benchDnsblZone } from './bench-dns';
import type { CpuMeter } from './cpu-meter';
import { cpuProfileNodeOptions } from './cpu-profile-hook';
import { progress } from './progress';
import { benchApplicationName, stackCpuMeter } from './stack-cpu';

export const benchDomain = 'bench.test';
export const benchPassword = 'bench-password-1';
/** Remote domains of the outbound scenario; each has an MX pointing at the sink. */
export const remoteDomains = ['remote-a.bench-remote.test', 'remote-b.bench-remote.test', 'remote-c.bench-remote.test', 'remote-d.bench-remote.test'];

/**
 * Settings that differ from the defaults, and why: the per-IP limits would
 * throttle a load generator that is, by design, one IP sending thousands of
 * messages (Postfix's defaults do not limit it either); plaintext AUTH on
 * loopback lets the outbound scenario submit without TLS; the size limit
 * leaves room for the headers around a 25 MiB body; warn-level logs keep
 * the log pipes from competing with the work on two cores; the DNSBL zone
 * is checked for the load generator's loopback address, as rspamd checks
 * it in the --compare reference, so both look up the same names. The IMAP
 * scenario logs in without TLS on loopback too, and holds more idle
 * sessions than imap-server's default cap of 10,000 (its fetch session
 * besides them; the file descriptor limit here is 20,000).
 */
export const benchEnvironment: Readonly<Record<string, string>> = {
  SMTP_MAX_CONNECTIONS_PER_IP: '0',
  SMTP_MAX_CONNECTION_RATE: '0',
  POP3_MAX_CONNECTIONS_PER_IP: '0',
  SMTP_MAX_MESSAGES_PER_CONNECTION: '100000',
  SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true',
  IMAP_ALLOW_PLAINTEXT_AUTH: 'true',
  IMAP_MAX_CONNECTIONS: '19000',
  IMAP_MAX_CONNECTIONS_PER_IP: '0',
  MAX_MESSAGE_SIZE: String(30 * 1024 * 1024),
  LOG_LEVEL: 'warn',
  MAIL_HOSTNAME: 'mx.bench.test',
  DNSBL_ZONES: benchDnsblZone,
  DNSBL_CHECK_PRIVATE: 'true',
};

export interface BenchStack {
  readonly stack: MailStack;
  readonly sink: SmtpSink;
  readonly database: pg.Pool;
  /** CPU of the services and of the NATS, PostgreSQL and Redis servers they use (stack-cpu.ts). */
  readonly cpu: CpuMeter;
  /** Service name → pid of its process. */
  pids(): Map<string, number>;
  /** Creates users (in parallel, a few at a time) with the bench password. */
  addUsers(addresses: readonly string[]): Promise<void>;
  /** Messages stored in a user's mailboxes right now. */
  storedCount(address: string): Promise<number>;
  /** Waits until `count` messages are stored for `address`; resolves with performance.now() at that moment. */
  waitStored(address: string, count: number, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** `cpuProfileDir`: profile every service's CPU, profiles written there when they stop. */
export async function startBenchStack(cpuProfileDir?: string): Promise<BenchStack> {
  const sink = await startSmtpSink();
  progress(`starting the ${serviceNames.length} services (real processes, isolated NATS namespace, database and Redis prefix)`);
  const profiling: Record<string, string> = cpuProfileDir ? { NODE_OPTIONS: await cpuProfileNodeOptions(cpuProfileDir) } : {};
  // the DNS records first: spam-filter's RFC 5782 self-test of the zone runs as it starts
  const stack = await startMailStack({ services: [], env: { ...benchEnvironment, ...profiling, OUTBOUND_SMTP_PORT: String(sink.port) } });
  addSenderDns(stack.dns);
  try {
    for (const name of serviceNames) await stack.start(name);
  } catch (error) {
    // A service that fails to start must not leave the others running (they outlive the bench otherwise).
    await Promise.allSettled([stack.stop(), sink.close()]);
    throw error;
  }
  for (const domain of remoteDomains) {
    stack.dns.add(domain, { type: 'MX', preference: 10, exchange: `mx.${domain}` });
    stack.dns.add(`mx.${domain}`, { type: 'A', address: '127.0.0.1' });
  }
  const database = new pg.Pool({ connectionString: stack.env['DATABASE_URL'], max: 2, application_name: benchApplicationName });
  const mailctl = async (...args: string[]) => {
    const result = await stack.mailctl(...args);
    if (result.code !== 0) throw new Error(`mailctl ${args.join(' ')} failed (${result.code}): ${result.stderr || result.stdout}`);
  };
  await mailctl('domain', 'add', benchDomain);

  const storedCount = async (address: string): Promise<number> => {
    const { rows } = await database.query<{ n: string }>('SELECT count(*) AS n FROM mailbox_entries e JOIN users u ON u.id = e.user_id WHERE u.address = $1', [address]);
    return Number(rows[0]?.n ?? 0);
  };

  return {
    stack,
    sink,
    database,
    cpu: await stackCpuMeter(stack, database),
    pids: () => new Map([...stack.services].map(([name, service]) => [name, service.pid])),
    async addUsers(addresses) {
      const queue = [...addresses];
      const worker = async () => {
        for (let address = queue.shift(); address; address = queue.shift()) await mailctl('user', 'add', address, '--password', benchPassword);
      };
      await Promise.all([worker(), worker(), worker()]);
    },
    storedCount,
    async waitStored(address, count, timeoutMs) {
      let at = 0;
      await waitFor(
        async () => {
          const stored = await storedCount(address);
          at = performance.now();
          return stored >= count;
        },
        { timeoutMs, intervalMs: 50, description: `${count} messages stored for ${address}` },
      );
      return at;
    },
    async stop() {
      await database.end();
      await stack.stop();
      await sink.close();
    },
  };
}
