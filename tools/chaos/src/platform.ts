/**
 * The platform under test: private NATS, PostgreSQL and Redis, a dns2
 * server whose MX for the remote domain points at an SMTP sink, the five
 * services as real processes, and the domain and users made with the real
 * mailctl. Everything it starts, `stop()` stops.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchPlatform, type Platform as LaunchedServices } from '@mail/launcher';
import { startDnsServer, startSmtpSink, type DnsServerFixture, type SmtpSink } from '@mail/testing';
import { privateNats } from './infrastructure/nats';
import { privatePostgres } from './infrastructure/postgres';
import { privateRedis } from './infrastructure/redis';
import type { ServerProcess } from './infrastructure/server-process';
import { localDomain, remoteDomain, remoteMx, type Mailboxes } from './message-plan';

export interface Platform {
  readonly env: Readonly<Record<string, string>>;
  readonly smtpPort: number;
  readonly submissionPort: number;
  readonly pop3Port: number;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly nats: ServerProcess;
  readonly postgres: ServerProcess;
  readonly redis: ServerProcess;
  readonly dns: DnsServerFixture;
  readonly sink: SmtpSink;
  /** The five services (@mail/launcher): kill one with `stop(name, 'SIGKILL')`, bring it back with `start(name)`. */
  readonly services: LaunchedServices;
  /** Where `stop()` writes every service process's output (one file per start). */
  readonly logDir: string;
  /** Services that ended without being told to (a crash the matrix did not cause), with how they ended. */
  readonly unexpectedExits: string[];
  stop(): Promise<void>;
}

/** Readiness deadline for a (re)started service: generous, the machine may be loaded. */
const serviceReadyMs = 120_000;

export async function startPlatform(mailboxes: Mailboxes, log: (line: string) => void): Promise<Platform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chaos-'));
  const nats = await privateNats(dataDir);
  const redis = await privateRedis(dataDir);
  const postgres = await privatePostgres(dataDir);
  const dns = await startDnsServer();
  const sink = await startSmtpSink();
  const unexpectedExits: string[] = [];
  const logDir = join(tmpdir(), `chaos-logs-${process.pid}`);
  let services: LaunchedServices | undefined;
  const stopAll = async () => {
    await services?.stopAll();
    await mkdir(logDir, { recursive: true });
    await Promise.allSettled((services?.launched ?? []).map((s, i) => writeFile(join(logDir, `${String(i).padStart(2, '0')}-${s.app}.log`), s.output())));
    await Promise.allSettled([dns.close(), sink.close()]);
    await Promise.allSettled([nats.stop(), redis.stop(), postgres.stop('SIGINT')]);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([nats.start(), redis.start(), postgres.start()]);
    log(`private NATS ${nats.url}, Redis ${redis.url}, PostgreSQL ${postgres.url('mail')}`);
    dns.add(remoteDomain, { type: 'MX', preference: 10, exchange: remoteMx });
    dns.add(remoteMx, { type: 'A', address: '127.0.0.1' });
    // In start order (@mail/service-catalog): mailbox-store first, it owns the schema and answers the others' requests.
    services = await launchPlatform({
      settings: {
        natsUrl: nats.url,
        namespace: 'chaos',
        databaseUrl: postgres.url('mail'),
        redisUrl: redis.url,
        redisKeyPrefix: 'chaos:',
        listenerPorts: { smtp: 0, submission: 0, pop3: 0 },
        opsPorts: 'free',
        variables: {
          DATABASE_CREATE: 'true',
          DNS_SERVERS: dns.address,
          MAIL_HOSTNAME: 'mx.example.test',
          SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true',
          // Limits stay on (they live in Redis, which the matrix restarts) but high enough for the load.
          SMTP_MAX_CONNECTIONS_PER_IP: '500',
          SMTP_MAX_CONNECTION_RATE: '1000000',
          OUTBOUND_SMTP_PORT: String(sink.port),
          OUTBOUND_RETRY_SCHEDULE: '1s,2s,5s',
          OUTBOUND_CONNECT_TIMEOUT: '5s',
          OUTBOUND_DNS_TIMEOUT: '2s',
          LOG_LEVEL: 'warn',
        },
      },
      processes: { readyTimeoutMs: serviceReadyMs, stopTimeoutMs: 10_000 },
      onUnexpectedExit: (service, how) => unexpectedExits.push(`${service.app} (pid ${service.pid}) ended on its own: ${how}`),
    });
    await mailctl(services, 'domain', 'add', localDomain);
    for (const { address, password } of mailboxes) await mailctl(services, 'user', 'add', address, '--password', password);
    const { smtp, submission, pop3 } = services.ports;
    if (smtp === undefined || submission === undefined || pop3 === undefined) throw new Error('the matrix needs the SMTP, submission and POP3 ports');
    log(`services ready: SMTP ${smtp}, submission ${submission}, POP3 ${pop3}; remote MX ${remoteMx} → sink ${sink.port}`);
    return {
      env: services.env,
      smtpPort: smtp,
      submissionPort: submission,
      pop3Port: pop3,
      databaseUrl: postgres.url('mail'),
      natsUrl: nats.url,
      nats,
      postgres,
      redis,
      dns,
      sink,
      services,
      logDir,
      unexpectedExits,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Runs the real mailctl CLI against the platform; throws with its output when it fails. */
async function mailctl(services: LaunchedServices, ...args: string[]): Promise<void> {
  const result = await services.mailctl(...args);
  if (result.code !== 0) throw new Error(`mailctl ${args.join(' ')} failed (${result.code}): ${result.stderr || result.stdout}`);
}
