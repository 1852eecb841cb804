/**
 * The platform under test: private NATS, PostgreSQL and Redis, a dns2
 * server whose MX for the remote domain points at an SMTP sink, the five
 * services as real processes, and the domain and users made with the real
 * mailctl. Everything it starts, `stop()` stops.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listeners } from '@mail/service-catalog';
import {
  freePort,
  serviceNames,
  startDnsServer,
  startServiceProcess,
  startSmtpSink,
  workspaceRoot,
  type DnsServerFixture,
  type ServiceName,
  type ServiceProcess,
  type SmtpSink,
} from '@mail/testing';
import { privateNats } from './infrastructure/nats';
import { privatePostgres } from './infrastructure/postgres';
import { privateRedis } from './infrastructure/redis';
import type { ServerProcess } from './infrastructure/server-process';
import { localDomain, remoteDomain, remoteMx, type Mailboxes } from './message-plan';

const run = promisify(execFile);

export interface Platform {
  readonly env: Record<string, string>;
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
  readonly services: Map<ServiceName, ServiceProcess>;
  /** Where `stop()` writes every service process's output (one file per start). */
  readonly logDir: string;
  /** Services that ended without being told to (a crash the matrix did not cause), with how they ended. */
  readonly unexpectedExits: string[];
  /** Starts (again) one service and waits until it is ready. */
  start(name: ServiceName): Promise<ServiceProcess>;
  /** Stops one service with `signal` (SIGKILL for a crash); not an unexpected exit. */
  kill(name: ServiceName, signal: NodeJS.Signals): Promise<void>;
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
  const services = new Map<ServiceName, ServiceProcess>();
  const started: ServiceProcess[] = [];
  const stopping = new Set<ServiceProcess>();
  const unexpectedExits: string[] = [];
  const logDir = join(tmpdir(), `chaos-logs-${process.pid}`);
  const stopAll = async () => {
    for (const service of started) stopping.add(service);
    await Promise.allSettled([...services.values()].map((s) => s.stop('SIGTERM', 10_000)));
    await mkdir(logDir, { recursive: true });
    await Promise.allSettled(started.map((s, i) => writeFile(join(logDir, `${String(i).padStart(2, '0')}-${s.app}.log`), s.output())));
    await Promise.allSettled([dns.close(), sink.close()]);
    await Promise.allSettled([nats.stop(), redis.stop(), postgres.stop('SIGINT')]);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([nats.start(), redis.start(), postgres.start()]);
    log(`private NATS ${nats.url}, Redis ${redis.url}, PostgreSQL ${postgres.url('mail')}`);
    dns.add(remoteDomain, { type: 'MX', preference: 10, exchange: remoteMx });
    dns.add(remoteMx, { type: 'A', address: '127.0.0.1' });
    const [smtpPort, submissionPort, pop3Port] = [await freePort(), await freePort(), await freePort()];
    const env: Record<string, string> = {
      NATS_URL: nats.url,
      NATS_NAMESPACE: 'chaos',
      DATABASE_URL: postgres.url('mail'),
      DATABASE_CREATE: 'true',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'chaos:',
      [listeners.smtp.portVariable]: String(smtpPort),
      [listeners.submission.portVariable]: String(submissionPort),
      [listeners.pop3.portVariable]: String(pop3Port),
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
    };
    const platform: Platform = {
      env,
      smtpPort,
      submissionPort,
      pop3Port,
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
      async start(name) {
        const service = await startServiceProcess(name, env, { readyTimeoutMs: serviceReadyMs });
        services.set(name, service);
        started.push(service);
        void service.exited.then((how) => {
          if (!stopping.has(service)) unexpectedExits.push(`${name} (pid ${service.pid}) ended on its own: ${how}`);
        });
        return service;
      },
      async kill(name, signal) {
        const service = services.get(name);
        if (!service) return;
        stopping.add(service);
        await service.stop(signal);
      },
      stop: stopAll,
    };
    // In start order (@mail/service-catalog): mailbox-store first, it owns the schema and answers the others' requests.
    for (const name of serviceNames) await platform.start(name);
    await mailctl(env, 'domain', 'add', localDomain);
    for (const { address, password } of mailboxes) await mailctl(env, 'user', 'add', address, '--password', password);
    log(`services ready: SMTP ${smtpPort}, submission ${submissionPort}, POP3 ${pop3Port}; remote MX ${remoteMx} → sink ${sink.port}`);
    return platform;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Runs the real mailctl CLI against the platform; throws with its output when it fails. */
async function mailctl(env: Record<string, string>, ...args: string[]): Promise<void> {
  await run(process.execPath, ['apps/mailctl/bin/mailctl.js', ...args], { cwd: workspaceRoot, env: { ...process.env, ...env } }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`mailctl ${args.join(' ')} failed: ${error.stderr ?? error.message}`, { cause: error });
  });
}
