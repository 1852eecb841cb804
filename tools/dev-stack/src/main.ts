/**
 * `npm start`: the whole mail platform on one machine, for development.
 * The npm script has built the apps first (`nx run-many -t build`, cached);
 * the services run from dist/ as in the image.
 *
 * 1. Use NATS, PostgreSQL and Redis where they answer; start the rest into .data/.
 * 2. Make a self-signed certificate for STARTTLS/STLS (once).
 * 3. Run the database migrations (mailbox-store migrate).
 * 4. Start the five services through @mail/launcher in the catalog's start
 *    order, print their logs readably, wait for each /readyz.
 * 5. Print where everything is; on Ctrl-C stop services, then infrastructure.
 */
import { preparePlatform, serviceArguments, ServiceStartError, workspaceRoot, type Platform } from '@mail/launcher';
import { nodeRuntime, schemaOwner, serviceCatalog, startOrder } from '@mail/service-catalog';
import { box, nextCommands, summaryLines } from './banner';
import { withDevelopmentDefaults } from './development-defaults';
import { colourWanted, painter } from './colour';
import { parseOptions, usage, type Options } from './cli';
import { describeExit, exitStatusOf, succeeded } from './exit-status';
import { provideInfrastructure, type InfrastructureEndpoints } from './infrastructure/provide';
import { errorText, LaunchError } from './launch-error';
import { Lifecycle } from './lifecycle';
import { preflight } from './preflight';
import { publicEndpoints } from './public-endpoints';
import { Terminal } from './terminal';
import { ensureCertificate } from './tls';
import { dataRoot } from './workspace';

/** How long a service may take from spawn to a 200 on /readyz (a loaded machine, a first connection to NATS). */
const readyTimeoutMs = 60_000;

/** How long a service may take to drain after SIGTERM before it is killed. */
const drainTimeoutMs = 15_000;

/** Stop tier of the migrations: they end before the infrastructure (tier 0) stops. */
const migrationTier = 1;

/** Lines of each service's output kept to explain a failure. */
const keptLines = 40;

/** Namespace of subjects, streams and buckets when NATS_NAMESPACE is unset. */
const defaultNamespace = 'mail';

const terminal = new Terminal(process.stdout, painter(colourWanted(process.stdout, process.env)));
const lifecycle = new Lifecycle(terminal);

async function main(options: Options): Promise<void> {
  lifecycle.install();
  // The launcher hands this process's environment to every service
  Object.assign(process.env, withDevelopmentDefaults(process.env));
  if (!options.infraOnly) await preflight(process.env);
  const infrastructure = await provideInfrastructure(process.env, lifecycle.group, terminal);
  if (options.infraOnly) return showInfrastructure(infrastructure);

  const tls = await ensureCertificate(process.env, terminal);
  const namespace = process.env['NATS_NAMESPACE']?.trim();
  // The user's environment (SMTP_PORT, LOG_LEVEL, DNS_SERVERS, ...) reaches every service beneath these
  const services = await preparePlatform({
    settings: {
      natsUrl: infrastructure.nats.url,
      databaseUrl: infrastructure.postgres.url,
      redisUrl: infrastructure.redis.url,
      namespace: namespace === undefined || namespace === '' ? defaultNamespace : namespace,
      opsPorts: 'catalog',
      ...(tls ? { tls } : {}),
    },
    processes: { readyTimeoutMs, stopTimeoutMs: drainTimeoutMs, keptLines, ownProcessGroup: true },
    onLine: (name, line) => terminal.childLine(name, line),
    onUnexpectedExit: (service, how) =>
      lifecycle.fail(new LaunchError(`${service.app} ${describeExit(exitStatusOf(how))} unexpectedly`, { label: service.app, lines: service.recentLines(keptLines) })),
  });
  lifecycle.adopt(services);
  await migrate(services);
  await startServices(services);

  const endpoints = publicEndpoints(process.env);
  const all = [infrastructure.nats, infrastructure.postgres, infrastructure.redis];
  const next = nextCommands(endpoints, all);
  const banner = { title: 'The mail stack is ready', endpoints, services: serviceCatalog, infrastructure: all, tls, dataRoot, next, keepsRunning: true };
  terminal.block(box(summaryLines(banner, terminal.paint)));
}

/** Runs `mailbox-store migrate` to completion; anything but exit 0 stops the launch. */
async function migrate(services: Platform): Promise<void> {
  terminal.info(`running database migrations (${schemaOwner.entry.dist} migrate)`);
  const { status, lines } = await lifecycle.group.run({
    name: 'migrate',
    command: process.execPath,
    args: serviceArguments(schemaOwner.name, { args: ['migrate'] }),
    cwd: workspaceRoot,
    env: { ...process.env, ...services.environmentOf(schemaOwner.name) },
    printOutput: true,
    stopTimeoutMs: drainTimeoutMs,
    tier: migrationTier,
  });
  if (!succeeded(status)) throw new LaunchError(`migrations failed: ${schemaOwner.name} migrate ${describeExit(status)}`, { label: 'migrate', lines });
}

/** Starts the services one after another in the catalog's start order, each ready before the next. */
async function startServices(services: Platform): Promise<void> {
  terminal.info(`starting ${startOrder.join(', ')}`);
  try {
    await services.startAll();
  } catch (error) {
    if (error instanceof ServiceStartError) throw new LaunchError(error.reason, { label: error.service, lines: error.lastLines });
    throw error;
  }
}

/** The `--infra-only` summary: URLs to export for services run by hand. */
function showInfrastructure(infrastructure: InfrastructureEndpoints): void {
  const all = [infrastructure.nats, infrastructure.postgres, infrastructure.redis];
  const exports = all.map((endpoint) => `export ${endpoint.kind.envVar}=${endpoint.url}`);
  const anyStarted = all.some((endpoint) => endpoint.started);
  const title = anyStarted ? 'Infrastructure is ready' : 'Infrastructure was already running; nothing to keep running';
  const next = [
    ...exports,
    'npx nx run-many -t build',
    `${Object.entries(nodeRuntime.environment)
      .map(([name, value]) => `${name}=${value} `)
      .join('')}node ${nodeRuntime.flags.join(' ')} dist/apps/<name>/main.mjs`,
  ];
  terminal.block(box(summaryLines({ title, infrastructure: all, dataRoot, next, keepsRunning: anyStarted }, terminal.paint)));
}

let options: Options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  terminal.error(errorText(error));
  terminal.block(usage);
  process.exit(2);
}
if (options.help) {
  terminal.block(usage);
} else {
  main(options).catch((error: unknown) => lifecycle.fail(error));
}
