/**
 * What the services of one platform are told: the infrastructure URLs, the
 * NATS namespace and Redis key prefix that keep it apart from others, the
 * listener ports (a fixed port, 0 for a free one chosen at launch, or the
 * service's default), the TLS files for the services that offer STARTTLS or
 * STLS, each service's ops port, and whatever else the caller adds.
 */
import { catalogService, listeners, type Listener, type ListenerName, type ServiceName } from '@mail/service-catalog';
import { freePort } from './free-port';

export interface PlatformSettings {
  readonly natsUrl: string;
  readonly namespace: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisKeyPrefix?: string;
  /** Ports to open: a number, or 0 for a free port chosen at launch. Unset: what the environment says, else the listener's default. */
  readonly listenerPorts?: Partial<Record<ListenerName, number>>;
  /** `catalog`: each service on its default ops port (npm start); `free`: a free port per process (tests and tools, several platforms at once). */
  readonly opsPorts: 'catalog' | 'free';
  /** Certificate and key for the services with a mail listener (STARTTLS, STLS, POP3S). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Variables every service gets, over everything above (LOG_LEVEL, DNS_SERVERS, limits, ...). */
  readonly variables?: Readonly<Record<string, string>>;
}

/** The port each listener will open; undefined for one that is off (POP3S unless set). */
export type ListenerPorts = Readonly<Record<ListenerName, number | undefined>>;

/**
 * The port a listener will open as the environment sets it: its variable
 * when that holds a valid port, else its default (the service itself
 * reports a bad value); undefined for a listener that is off.
 */
export function listenerPort(listener: Listener, env: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = env[listener.portVariable];
  if (value === undefined || !/^\d+$/.test(value.trim())) return listener.defaultPort;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : listener.defaultPort;
}

/**
 * The variables every service of the platform gets (not this process's
 * environment, which each child inherits beneath them) and the resolved
 * listener ports; free ports are chosen here, once, so a service restarted
 * later opens the same ones.
 */
export async function platformEnvironment(
  settings: PlatformSettings,
  inherited: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ env: Record<string, string>; ports: ListenerPorts }> {
  const env: Record<string, string> = {
    NATS_URL: settings.natsUrl,
    NATS_NAMESPACE: settings.namespace,
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    ...(settings.redisKeyPrefix !== undefined ? { REDIS_KEY_PREFIX: settings.redisKeyPrefix } : {}),
  };
  for (const [name, requested] of Object.entries(settings.listenerPorts ?? {}) as [ListenerName, number | undefined][]) {
    if (requested !== undefined) env[listeners[name].portVariable] = String(requested === 0 ? await freePort() : requested);
  }
  Object.assign(env, settings.variables);
  const seen = { ...inherited, ...env };
  const ports = Object.fromEntries((Object.keys(listeners) as ListenerName[]).map((name) => [name, listenerPort(listeners[name], seen)])) as Record<ListenerName, number | undefined>;
  return { env, ports };
}

/** One service's own additions: its catalog ops port (a free one is chosen at each start otherwise), and the TLS files when it has a mail listener. */
export function serviceVariables(name: ServiceName, settings: PlatformSettings): Record<string, string> {
  const service = catalogService(name);
  const own: Record<string, string> = {};
  if (settings.opsPorts === 'catalog') own['HTTP_PORT'] = String(service.opsPort);
  // Every mail listener offers TLS (STARTTLS, STLS or implicit); the others have no use for the key
  if (settings.tls && service.listeners.length > 0) {
    own['TLS_CERT_FILE'] = settings.tls.certFile;
    own['TLS_KEY_FILE'] = settings.tls.keyFile;
  }
  return own;
}

/** The names of the listeners `name` opens (those it could open: on or off). */
export function serviceListeners(name: ServiceName): ListenerName[] {
  const own = catalogService(name).listeners;
  return (Object.keys(listeners) as ListenerName[]).filter((listener) => own.includes(listeners[listener]));
}

/** What sets one more process of a service apart from its first, and the ports it will open. */
export interface ReplicaVariables {
  /** Port variables of its listeners and HTTP_PORT, over the platform's environment. */
  readonly env: Record<string, string>;
  /** The ports its listeners will open: those the platform has on, each moved to a port of its own. */
  readonly ports: Partial<Record<ListenerName, number>>;
}

/**
 * The variables of another replica of `name` beside the platform's own
 * process (another Pod of its Deployment, here on the same host): each of
 * its listeners that the platform has on (`ports`) on a port of its own, and
 * an ops port of its own; a listener that is off stays off. Everything else
 * (infrastructure, namespace, Redis prefix, limits) is the platform's, so
 * the replicas share what Pods share.
 */
export async function replicaVariables(name: ServiceName, ports: ListenerPorts, choosePort: () => Promise<number> = freePort): Promise<ReplicaVariables> {
  const env: Record<string, string> = { HTTP_PORT: String(await choosePort()) };
  const own: Partial<Record<ListenerName, number>> = {};
  for (const listener of serviceListeners(name)) {
    if (ports[listener] === undefined) continue;
    const port = await choosePort();
    env[listeners[listener].portVariable] = String(port);
    own[listener] = port;
  }
  return { env, ports: own };
}
