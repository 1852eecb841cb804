/** Start one service process with its shared plumbing and its own start function. */
import { Bus } from '@mail/bus';
import { commonConfig, loadConfig, port, type CommonConfig, type ConfigShape, type ParsedConfig } from '@mail/config';
import { catalogService, type ServiceName } from '@mail/service-catalog';
import { createLogger, startTelemetry, type Logger, type Telemetry } from '@mail/telemetry';
import type { Redis } from 'ioredis';
import { connectServiceRedis, type ServiceRedis } from './redis-client';
import { onShutdownSignal } from './shutdown';
import { collectStartupGarbage } from './startup-garbage';

export interface ServiceContext<C> {
  readonly config: C & CommonConfig & { httpPort: number };
  readonly log: Logger;
  readonly bus: Bus;
  readonly telemetry: Telemetry;
  /**
   * The process's Redis client (made on the first call; options and outage
   * logging in redis-client.ts), checked by /readyz as the catalog's `redis`
   * says and closed after stop(). Throws for a service the catalog does not
   * list as using Redis.
   */
  readonly redis: () => Redis;
}

export interface RunningService {
  /**
   * Stop taking new work and finish what is in flight. Called after the
   * service's consumers and request subscriptions have stopped, while the
   * bus connection is still open (so in-flight publishes complete).
   */
  stop(): Promise<void>;
}

export interface ServiceDefinition<S extends ConfigShape> {
  /** Its name in @mail/service-catalog, which gives its ops port (HTTP_PORT overrides) and the infrastructure it uses. */
  name: ServiceName;
  config: S;
  start(ctx: ServiceContext<ParsedConfig<S>>): Promise<RunningService>;
}

/**
 * Life cycle: config → logger → telemetry (ops endpoint, not ready yet) →
 * bus → start() → start-up garbage collected (startup-garbage.ts) → ready. On SIGTERM/SIGINT: not ready → stop consumers and
 * request handlers → stop() → close Redis → close the bus → exit 0. A signal
 * during start-up waits for start-up to finish, then drains the same way.
 */
export async function runService<S extends ConfigShape>(definition: ServiceDefinition<S>): Promise<void> {
  const catalogEntry = catalogService(definition.name);
  const common = loadConfig(definition.name, {
    ...commonConfig,
    /** Port of the ops endpoint (/metrics, /healthz, /readyz); by default the service's own from @mail/service-catalog. */
    httpPort: port('HTTP_PORT', catalogEntry.opsPort),
  });
  const own = loadConfig(definition.name, definition.config);
  const config = { ...common, ...own };
  const log = createLogger(definition.name, config.logLevel);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

  let started: Promise<{ running: RunningService; bus: Bus; telemetry: Telemetry; redis: ServiceRedis | undefined } | undefined> = Promise.resolve(undefined);
  onShutdownSignal(async (signal) => {
    log.info({ signal }, 'shutting down');
    const service = await started.catch(() => undefined);
    if (!service) return;
    service.telemetry.health.markDraining();
    await service.bus.stopTakingWork();
    await service.running.stop();
    await service.redis?.close();
    await service.bus.close();
    await service.telemetry.shutdown();
    log.info('stopped');
    log.flush?.();
  });

  started = (async () => {
    const { infrastructure } = catalogEntry;
    const telemetry = await startTelemetry({
      service: definition.name,
      host: config.listenHost,
      httpPort: config.httpPort,
      databaseClients: { postgres: infrastructure.postgres !== undefined, redis: infrastructure.redis !== undefined },
    });
    let ready = false;
    telemetry.health.add('start-up', () => {
      if (!ready) throw new Error('starting');
    });
    const bus = await Bus.connect({
      url: config.natsUrl,
      name: `${definition.name}/${process.pid}`,
      namespace: config.natsNamespace,
      replicas: config.streamReplicas,
      streamMaxAgeMs: config.streamMaxAgeMs,
      streamMaxBytes: config.streamMaxBytes,
      // its NATS identity: own inbox, own credentials, provisions only what its contracts name
      identity: definition.name,
      connection: config,
      log,
    });
    telemetry.health.add('nats', () => bus.check());
    let redis: ServiceRedis | undefined;
    const redisClient = (): Redis => {
      const use = infrastructure.redis;
      if (use === undefined) throw new Error(`${definition.name} does not use Redis according to @mail/service-catalog`);
      redis ??= connectServiceRedis({
        url: config.redisUrl,
        keyPrefix: config.redisKeyPrefix,
        connectionName: `${definition.name}/${process.pid}`,
        use,
        log,
        health: telemetry.health,
      });
      return redis.client;
    };
    const running = await definition.start({ config, log, bus, telemetry, redis: redisClient });
    await bus.flush();
    const startupGcMs = Math.round(collectStartupGarbage());
    ready = true;
    log.info({ opsPort: telemetry.ops.port, startupGcMs }, `${definition.name} started`);
    return { running, bus, telemetry, redis };
  })();

  try {
    await started;
  } catch (error) {
    log.fatal({ err: error }, `${definition.name} failed to start: ${(error as Error).message}`);
    log.flush?.();
    process.exit(1);
  }
}
