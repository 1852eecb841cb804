/**
 * The whole platform for one test: isolated NATS namespace, PostgreSQL
 * database and Redis prefix, a dns2 server, and the five services started as
 * separate real processes on free ports. Tests drive it with real clients.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { listeners, startOrder, type ServiceName } from '@mail/service-catalog';
import { startDnsServer, type DnsServerFixture } from './dns-server';
import { freePort } from './free-port';
import { createTestDatabase, createTestNamespace, createTestRedisPrefix, testNatsUrl } from './isolation';
import { startServiceProcess, workspaceRoot, type ServiceProcess } from './service-process';

const run = promisify(execFile);

/** The services in the order the stack starts them (@mail/service-catalog: the schema owner first). */
export const serviceNames = startOrder;
export type { ServiceName };

export interface MailStack {
  readonly env: Record<string, string>;
  readonly smtpPort: number;
  readonly submissionPort: number;
  readonly pop3Port: number;
  readonly dns: DnsServerFixture;
  readonly services: Map<ServiceName, ServiceProcess>;
  /** Start (again) one service with the stack's environment. */
  start(name: ServiceName, extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  /** Run the real mailctl CLI against this stack. */
  mailctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export interface MailStackOptions {
  /** Services to start (default: all five). */
  services?: readonly ServiceName[];
  env?: Record<string, string>;
}

export async function startMailStack(options: MailStackOptions = {}): Promise<MailStack> {
  const namespace = await createTestNamespace('e2e');
  const database = await createTestDatabase('e2e');
  const redis = await createTestRedisPrefix('e2e');
  const dns = await startDnsServer();
  const [smtpPort, submissionPort, pop3Port] = [await freePort(), await freePort(), await freePort()];
  const env: Record<string, string> = {
    NATS_URL: testNatsUrl,
    NATS_NAMESPACE: namespace.namespace,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    [listeners.smtp.portVariable]: String(smtpPort),
    [listeners.submission.portVariable]: String(submissionPort),
    [listeners.pop3.portVariable]: String(pop3Port),
    DNS_SERVERS: dns.address,
    MAIL_HOSTNAME: 'mx.example.test',
    ...options.env,
  };
  const services = new Map<ServiceName, ServiceProcess>();

  const stack: MailStack = {
    env,
    smtpPort,
    submissionPort,
    pop3Port,
    dns,
    services,
    async start(name, extraEnv = {}) {
      const service = await startServiceProcess(name, { ...env, ...extraEnv });
      services.set(name, service);
      return service;
    },
    async mailctl(...args) {
      try {
        const { stdout, stderr } = await run(process.execPath, ['apps/mailctl/bin/mailctl.js', ...args], {
          cwd: workspaceRoot,
          env: { ...process.env, ...env },
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failure = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
      }
    },
    async stop() {
      await Promise.allSettled([...services.values()].map((s) => s.stop('SIGTERM')));
      await dns.close();
      await Promise.allSettled([namespace.cleanup(), database.cleanup(), redis.cleanup()]);
    },
  };

  try {
    for (const name of options.services ?? serviceNames) await stack.start(name);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
