/** Start one service process with its shared plumbing and its own start function. */
import { Bus } from '@mail/bus';
import { commonConfig, loadConfig, port, type CommonConfig, type ConfigShape, type ParsedConfig } from '@mail/config';
import { createLogger, startTelemetry, type Logger, type Telemetry } from '@mail/telemetry';
import { onShutdownSignal } from './shutdown';

export interface ServiceContext<C> {
  readonly config: C & CommonConfig & { httpPort: number };
  readonly log: Logger;
  readonly bus: Bus;
  readonly telemetry: Telemetry;
}

export interface RunningService {
  /** Stop taking new work and finish what is in flight. */
  stop(): Promise<void>;
}

export interface ServiceDefinition<S extends ConfigShape> {
  name: string;
  /** Default port of the ops endpoint (/metrics, /healthz, /readyz); HTTP_PORT overrides. */
  defaultHttpPort: number;
  config: S;
  start(ctx: ServiceContext<ParsedConfig<S>>): Promise<RunningService>;
}

export async function runService<S extends ConfigShape>(definition: ServiceDefinition<S>): Promise<void> {
  const common = loadConfig(definition.name, { ...commonConfig, httpPort: port('HTTP_PORT', definition.defaultHttpPort) });
  const own = loadConfig(definition.name, definition.config);
  const config = { ...common, ...own };
  const log = createLogger(definition.name, config.logLevel);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  try {
    const telemetry = await startTelemetry({ service: definition.name, host: config.listenHost, httpPort: config.httpPort });
    const bus = await Bus.connect({
      url: config.natsUrl,
      name: `${definition.name}/${process.pid}`,
      namespace: config.natsNamespace,
      replicas: config.streamReplicas,
      log,
    });
    telemetry.health.add('nats', () => bus.check());
    const running = await definition.start({ config, log, bus, telemetry });
    log.info({ opsPort: telemetry.ops.port }, `${definition.name} started`);
    onShutdownSignal(async (signal) => {
      log.info({ signal }, 'shutting down');
      telemetry.health.markDraining();
      await running.stop();
      await bus.close();
      await telemetry.shutdown();
      log.info('stopped');
      log.flush?.();
    });
  } catch (error) {
    log.fatal({ err: error }, `${definition.name} failed to start: ${(error as Error).message}`);
    log.flush?.();
    process.exit(1);
  }
}
