/**
 * The whole platform for one test: isolated NATS namespace, PostgreSQL
 * database and Redis prefix, a dns2 server, and the services of the catalog started
 * by @mail/launcher as separate real processes on free ports. Tests drive
 * it with real clients.
 */
import { preparePlatform, runMailctl, workspaceRoot, type MailctlResult, type ServiceProcess, type ServiceReplica } from '@mail/launcher';
import { startOrder, type ServiceName } from '@mail/service-catalog';
import { ensureCurrentBuilds } from './app-builds';
import { startDnsServer, type DnsServerFixture } from './dns-server';
import { createTestDatabase, createTestNamespace, createTestRedisPrefix, testNatsUrl } from './isolation';

/** The services in the order the stack starts them (@mail/service-catalog: the schema owner first). */
export const serviceNames = startOrder;
export type { ServiceName, ServiceReplica };

export interface MailStack {
  /** What every service was told (infrastructure, namespace, prefix, ports, the test's variables). */
  readonly env: Readonly<Record<string, string>>;
  readonly smtpPort: number;
  readonly submissionPort: number;
  readonly pop3Port: number;
  /** The IMAP listener's port; undefined when the stack runs without imap-server. */
  readonly imapPort: number | undefined;
  readonly dns: DnsServerFixture;
  /** The latest process of each service started. */
  readonly services: ReadonlyMap<ServiceName, ServiceProcess>;
  /** Start (again) one service with the stack's environment. */
  start(name: ServiceName, extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  /**
   * One more process of a service, beside the one the stack started: the
   * same namespace, database, Redis prefix and variables (`extraEnv` over
   * them), its listeners and ops port on free ports of its own (`ports`) —
   * another replica of its Deployment. stop() stops it too.
   */
  startReplica(name: ServiceName, extraEnv?: Record<string, string>): Promise<ServiceReplica>;
  /** Run the real mailctl CLI against this stack. */
  mailctl(...args: string[]): Promise<MailctlResult>;
  stop(): Promise<void>;
}

export interface MailStackOptions {
  /** Services to start (default: all of the catalog). */
  services?: readonly ServiceName[];
  env?: Record<string, string>;
  /** A NATS server of the test's own (startPrivateNats) instead of the shared one. */
  natsUrl?: string;
  /** The bus namespace, instead of a fresh one (a private NATS whose permissions name it). */
  natsNamespace?: string;
  /** Variables for one service alone, over `env` (its NATS credentials). */
  serviceEnv?: (name: ServiceName) => Record<string, string>;
  /** Variables for mailctl alone, over the stack's (the admin's NATS credentials). */
  mailctlEnv?: Record<string, string>;
}

export async function startMailStack(options: MailStackOptions = {}): Promise<MailStack> {
  // A suite run on its own after an edit tests the edit (app-builds.ts)
  await ensureCurrentBuilds(workspaceRoot);
  const namespace = options.natsNamespace === undefined ? await createTestNamespace('e2e') : { namespace: options.natsNamespace, cleanup: async () => undefined };
  const database = await createTestDatabase('e2e');
  const redis = await createTestRedisPrefix('e2e');
  const dns = await startDnsServer();
  const cleanup = async () => {
    await dns.close();
    await Promise.allSettled([namespace.cleanup(), database.cleanup(), redis.cleanup()]);
  };
  try {
    const platform = await preparePlatform({
      settings: {
        natsUrl: options.natsUrl ?? testNatsUrl,
        namespace: namespace.namespace,
        databaseUrl: database.url,
        redisUrl: redis.url,
        redisKeyPrefix: redis.prefix,
        listenerPorts: { smtp: 0, submission: 0, pop3: 0, imap: 0 },
        opsPorts: 'free',
        // Tests read the services' logs: info level unless the test says otherwise
        variables: { LOG_LEVEL: 'info', DNS_SERVERS: dns.address, MAIL_HOSTNAME: 'mx.example.test', ...options.env },
      },
    });
    try {
      for (const name of options.services ?? serviceNames) await platform.start(name, options.serviceEnv?.(name));
    } catch (error) {
      await platform.stopAll();
      throw error;
    }
    const { smtp, submission, pop3, imap } = platform.ports;
    if (smtp === undefined || submission === undefined || pop3 === undefined) throw new Error('the stack needs its SMTP, submission and POP3 ports');
    return {
      env: platform.env,
      smtpPort: smtp,
      submissionPort: submission,
      pop3Port: pop3,
      imapPort: imap,
      dns,
      services: platform.services,
      start: (name, extraEnv) => platform.start(name, extraEnv),
      startReplica: (name, extraEnv) => platform.startReplica(name, extraEnv),
      mailctl: (...args) => runMailctl({ ...platform.env, ...options.mailctlEnv }, ...args),
      async stop() {
        await platform.stopAll();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
