/**
 * `npm start`: the whole mail platform on one machine, for development.
 * The npm script has built the apps first (`nx run-many -t build`, cached);
 * the services run from dist/ as in the image.
 *
 * 1. Use NATS, PostgreSQL and Redis where they answer; start the rest into .data/.
 * 2. Make a self-signed certificate for STARTTLS/STLS (once).
 * 3. Run the database migrations (mailbox-store migrate).
 * 4. Start the five services, print their logs readably, wait for /readyz.
 * 5. Print where everything is; on Ctrl-C stop services, then infrastructure.
 */
import { box, nextCommands, summaryLines } from './banner';
import { colourWanted, painter } from './colour';
import { parseOptions, usage, type Options } from './cli';
import { describeExit, succeeded } from './exit-status';
import { provideInfrastructure, type InfrastructureEndpoints } from './infrastructure/provide';
import { errorText, LaunchError } from './launch-error';
import { Lifecycle } from './lifecycle';
import { preflight } from './preflight';
import { publicEndpoints } from './public-endpoints';
import { waitUntilReady } from './readiness';
import { migrationService, serviceEnvironment, services, type StackSettings } from './services';
import { Terminal } from './terminal';
import { ensureCertificate } from './tls';
import { dataRoot, serviceArguments, serviceEntry, workspaceRoot } from './workspace';

/** How long a service may take from spawn to a 200 on /readyz (a loaded machine, a first connection to NATS). */
const readyTimeoutMs = 60_000;

/** How long a service may take to drain after SIGTERM before it is killed. */
const drainTimeoutMs = 15_000;

/** Stop tier of services: they drain before the infrastructure (tier 0) stops. */
const serviceTier = 1;

const terminal = new Terminal(process.stdout, painter(colourWanted(process.stdout, process.env)));
const lifecycle = new Lifecycle(terminal);

async function main(options: Options): Promise<void> {
  lifecycle.install();
  if (!options.infraOnly) await preflight(process.env);
  const infrastructure = await provideInfrastructure(process.env, lifecycle.group, terminal);
  if (options.infraOnly) return showInfrastructure(infrastructure);

  const tls = await ensureCertificate(process.env, terminal);
  const stack: StackSettings = {
    natsUrl: infrastructure.nats.url,
    databaseUrl: infrastructure.postgres.url,
    redisUrl: infrastructure.redis.url,
    ...(tls ? { tls } : {}),
  };
  await migrate(stack);
  await startServices(stack);

  const endpoints = publicEndpoints(process.env);
  const all = [infrastructure.nats, infrastructure.postgres, infrastructure.redis];
  const next = nextCommands(endpoints, all);
  const banner = { title: 'The mail stack is ready', endpoints, services, infrastructure: all, tls, dataRoot, next, keepsRunning: true };
  terminal.block(box(summaryLines(banner, terminal.paint)));
}

/** Runs `mailbox-store migrate` to completion; anything but exit 0 stops the launch. */
async function migrate(stack: StackSettings): Promise<void> {
  const owner = services.find((service) => service.name === migrationService);
  if (!owner) throw new Error(`${migrationService} is not in the service list`);
  terminal.info(`running database migrations (${serviceEntry(owner.name)} migrate)`);
  const { status, lines } = await lifecycle.group.run({
    name: 'migrate',
    command: process.execPath,
    args: serviceArguments(owner.name, 'migrate'),
    cwd: workspaceRoot,
    env: serviceEnvironment(owner, process.env, stack),
    printOutput: true,
    stopTimeoutMs: drainTimeoutMs,
    tier: serviceTier,
  });
  if (!succeeded(status)) throw new LaunchError(`migrations failed: ${migrationService} migrate ${describeExit(status)}`, { label: 'migrate', lines });
}

/** Starts every service at once and waits until all of them are ready. */
async function startServices(stack: StackSettings): Promise<void> {
  terminal.info(`starting ${services.map((service) => service.name).join(', ')}`);
  const started = services.map((service) => ({
    service,
    child: lifecycle.group.start({
      name: service.name,
      command: process.execPath,
      args: serviceArguments(service.name),
      cwd: workspaceRoot,
      env: serviceEnvironment(service, process.env, stack),
      printOutput: true,
      stopTimeoutMs: drainTimeoutMs,
      tier: serviceTier,
    }),
  }));
  await Promise.all(started.map(({ service, child }) => waitUntilReady(child, service.httpPort, readyTimeoutMs)));
}

/** The `--infra-only` summary: URLs to export for services run by hand. */
function showInfrastructure(infrastructure: InfrastructureEndpoints): void {
  const all = [infrastructure.nats, infrastructure.postgres, infrastructure.redis];
  const exports = all.map((endpoint) => `export ${endpoint.kind.envVar}=${endpoint.url}`);
  const anyStarted = all.some((endpoint) => endpoint.started);
  const title = anyStarted ? 'Infrastructure is ready' : 'Infrastructure was already running; nothing to keep running';
  const next = [...exports, 'npx nx run-many -t build', 'node --enable-source-maps dist/apps/<name>/main.mjs'];
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
