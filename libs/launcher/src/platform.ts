/**
 * The platform: the services of @mail/service-catalog as child processes
 * sharing one environment (see environment.ts), started from their builds
 * in the catalog's start order, each ready before the next starts. One can
 * be stopped (SIGTERM drains, SIGKILL crashes), started again or restarted,
 * or joined by replicas (more processes of it on ports of their own, as the
 * Pods of a Deployment); stopAll() drains them all at once and nothing
 * starts after it. A service
 * that ends without being asked to is reported to `onUnexpectedExit`.
 */
import { startOrder, type ListenerName, type ServiceName } from '@mail/service-catalog';
import { platformEnvironment, replicaVariables, serviceVariables, type ListenerPorts, type PlatformSettings } from './environment';
import { runMailctl, type MailctlResult } from './mailctl';
import { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from './service-process';

export interface PlatformOptions {
  readonly settings: PlatformSettings;
  /** What startAll() starts, in this order (default: the catalog's start order, the schema owner first). */
  readonly services?: readonly ServiceName[];
  /** For every process: readiness deadline, output kept, process groups, stop deadline. */
  readonly processes?: Pick<ServiceProcessOptions, 'readyTimeoutMs' | 'keptLines' | 'ownProcessGroup' | 'stopTimeoutMs'>;
  /** Every line a service writes, as it comes. */
  readonly onLine?: (service: ServiceName, line: string) => void;
  /** A service ended without stop() or kill(): a crash the caller did not cause. */
  readonly onUnexpectedExit?: (service: ServiceProcess, how: number | string) => void;
}

/** One more process of a service beside the one `start` runs, sharing its NATS namespace, database and Redis prefix. */
export interface ServiceReplica {
  readonly process: ServiceProcess;
  /** The ports its listeners opened, apart from the first process's (only those the platform has on). */
  readonly ports: Partial<Record<ListenerName, number>>;
  /** SIGTERM drains, SIGKILL crashes; resolves how it ended. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface Platform {
  /** The variables every service gets (its ops port and TLS files aside). */
  readonly env: Readonly<Record<string, string>>;
  readonly ports: ListenerPorts;
  /** The latest process of each service started. */
  readonly services: ReadonlyMap<ServiceName, ServiceProcess>;
  /** Every process started, restarts included, in order. */
  readonly launched: readonly ServiceProcess[];
  /** A service's whole environment (over this process's), as start() gives it; for one-shot commands such as `migrate`. */
  environmentOf(name: ServiceName, extraEnv?: Readonly<Record<string, string>>): Record<string, string>;
  /** Starts the services, one after another, each ready before the next. */
  startAll(): Promise<void>;
  /** Starts (again) one service, with extra variables, and waits until it is ready. */
  start(name: ServiceName, extraEnv?: Readonly<Record<string, string>>): Promise<ServiceProcess>;
  /**
   * Starts one more process of a service, as another replica: the variables
   * of its latest start() with `extraEnv` over them, its listeners and ops
   * port on free ports of its own. It is not the service's process in
   * `services` (start, stop and restart leave it alone); stopAll() stops it.
   */
  startReplica(name: ServiceName, extraEnv?: Readonly<Record<string, string>>): Promise<ServiceReplica>;
  /** Stops one service's latest process: SIGTERM drains, SIGKILL crashes; undefined when it was not running. */
  stop(name: ServiceName, signal?: NodeJS.Signals): Promise<number | string | undefined>;
  /** stop() then start(), with the same variables as the process it replaces. */
  restart(name: ServiceName, signal?: NodeJS.Signals): Promise<ServiceProcess>;
  /** SIGTERM to every running service at once (SIGKILL after the deadline); nothing starts afterwards. */
  stopAll(): Promise<void>;
  /** SIGKILL to every running service now: the last resort of a launcher on its way out. */
  killAll(): void;
  /** Runs the real mailctl CLI against this platform. */
  mailctl(...args: string[]): Promise<MailctlResult>;
}

/** The platform is stopping: nothing new starts. */
export class PlatformStoppingError extends Error {
  override name = 'PlatformStoppingError';
}

/** Resolves the environment and ports; starts nothing yet. */
export async function preparePlatform(options: PlatformOptions): Promise<Platform> {
  const { env, ports } = await platformEnvironment(options.settings);
  const services = new Map<ServiceName, ServiceProcess>();
  const extras = new Map<ServiceName, Readonly<Record<string, string>>>();
  const launched: ServiceProcess[] = [];
  let stopping = false;
  const environmentOf = (name: ServiceName, extraEnv: Readonly<Record<string, string>> = {}) => ({ ...env, ...serviceVariables(name, options.settings), ...extraEnv });
  /** Starts a process and waits until it is ready; it is known from its spawn on, so that a stopAll() during its start-up stops it too. */
  const launch = (name: ServiceName, processEnv: Record<string, string>, onSpawned?: (service: ServiceProcess) => void) => {
    const onLine = options.onLine;
    const onSpawn = (service: ServiceProcess) => {
      onSpawned?.(service);
      launched.push(service);
      void service.exited.then((how) => {
        if (!service.stopRequested && !stopping) options.onUnexpectedExit?.(service, how);
      });
    };
    return startServiceProcess(name, processEnv, { ...options.processes, onSpawn, ...(onLine ? { onLine: (line: string) => onLine(name, line) } : {}) });
  };

  const platform: Platform = {
    env,
    ports,
    services,
    launched,
    environmentOf,
    async startAll() {
      for (const name of options.services ?? startOrder) await platform.start(name);
    },
    async start(name, extraEnv = {}) {
      if (stopping) throw new PlatformStoppingError(`not starting ${name}: the platform is stopping`);
      extras.set(name, extraEnv);
      return launch(name, environmentOf(name, extraEnv), (service) => services.set(name, service));
    },
    async startReplica(name, extraEnv = {}) {
      if (stopping) throw new PlatformStoppingError(`not starting a replica of ${name}: the platform is stopping`);
      const own = await replicaVariables(name, ports);
      const process = await launch(name, environmentOf(name, { ...extras.get(name), ...extraEnv, ...own.env }));
      return { process, ports: own.ports, stop: (signal) => process.stop(signal) };
    },
    async stop(name, signal = 'SIGTERM') {
      const service = services.get(name);
      return service?.running ? service.stop(signal) : undefined;
    },
    async restart(name, signal = 'SIGTERM') {
      await platform.stop(name, signal);
      return platform.start(name, extras.get(name));
    },
    async stopAll() {
      stopping = true;
      await Promise.allSettled(launched.filter((service) => service.running).map((service) => service.stop('SIGTERM')));
    },
    killAll() {
      stopping = true;
      for (const service of launched) if (service.running) service.kill();
    },
    mailctl: (...args) => runMailctl(env, ...args),
  };
  return platform;
}

/** Prepares the platform and starts its services; if one fails to start, stops those already running and throws. */
export async function launchPlatform(options: PlatformOptions): Promise<Platform> {
  const platform = await preparePlatform(options);
  try {
    await platform.startAll();
  } catch (error) {
    await platform.stopAll();
    throw error;
  }
  return platform;
}
