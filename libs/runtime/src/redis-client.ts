/**
 * The one Redis client of a service process, made the same way in every
 * service that the catalog lists as using Redis (REDIS_URL, keys under
 * REDIS_KEY_PREFIX). The options are one set, chosen for all its callers:
 *
 * - Every command answers within REDIS_COMMAND_TIMEOUT_MS or rejects. The
 *   callers then fail open (smtp-ingress's connection and AUTH limits,
 *   spam-filter's DNS-list cache and Bayes statistics) or retry
 *   (outbound-relay records a remote 250 over about 20 s, and a message
 *   whose lease or records cannot be read is redelivered by JetStream).
 *   The deadline counts Redis's answer, not this process's own delays: a
 *   reply that arrived while the event loop was busy past the deadline is
 *   read before the command is given up (enforceCommandDeadline).
 * - The offline queue is on: a command issued while the client reconnects
 *   (Redis restarting, a failover) waits for the connection instead of
 *   failing at once, within the same timeout, so a short outage is mostly
 *   not seen. `maxRetriesPerRequest: 1` empties that queue after two failed
 *   reconnection attempts, so commands do not pile up during a long one. A
 *   command that timed out may still run once the connection is back; every
 *   write the services make is idempotent or expires (leases, counters and
 *   slots with a TTL), so a late one is harmless.
 * - The client reconnects for ever, backing off to one attempt every 2 s.
 * - An outage is logged once at warn when it begins and once at info when it
 *   ends, not once per failed command or reconnection attempt.
 */
import { createRequire } from 'node:module';
import type { Command, Redis, RedisOptions } from 'ioredis';
import type { RedisUse } from '@mail/service-catalog';
import type { HealthChecks, Logger } from '@mail/telemetry';

/** A healthy Redis answers in well under a millisecond; after this a command rejects and its caller decides. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/** Reconnection back-off: 100 ms more per attempt, at most this. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** The client options every service uses (the command timeout is enforceCommandDeadline's, not ioredis's `commandTimeout`). */
export function redisClientOptions(keyPrefix: string, connectionName: string): RedisOptions {
  return {
    keyPrefix,
    connectionName,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  };
}

export interface ServiceRedisSettings {
  readonly url: string;
  readonly keyPrefix: string;
  /** Shown by CLIENT LIST (`smtp-ingress/1234`). */
  readonly connectionName: string;
  /** How the service depends on Redis: whether /readyz fails or reports it degraded while Redis is down. */
  readonly use: RedisUse;
  readonly log: Logger;
  readonly health: HealthChecks;
}

/** The service's client, with its readiness check registered. */
export interface ServiceRedis {
  readonly client: Redis;
  /** After the service has stopped: QUIT (replies still due arrive), then the socket is dropped. */
  close(): Promise<void>;
}

/** Creates the client and registers it with /readyz as `redis`. */
export function connectServiceRedis(settings: ServiceRedisSettings): ServiceRedis {
  // Required here rather than imported: every service bundles this file, and
  // one that uses no Redis (mailbox-store) then loads no ioredis (about 1.5 MiB).
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const client = new Redis(settings.url, redisClientOptions(settings.keyPrefix, settings.connectionName));
  enforceCommandDeadline(client, REDIS_COMMAND_TIMEOUT_MS);
  logOutages(client, settings.log);
  settings.health.add(
    'redis',
    async () => {
      await client.ping();
    },
    { gatesReadiness: settings.use === 'required' },
  );
  return {
    client,
    async close() {
      // QUIT is bounded by the command timeout; with nothing queued while disconnected it returns at once
      await client.quit().catch(() => undefined);
      client.disconnect();
    },
  };
}

/**
 * Every command `client` sends rejects once `timeoutMs` have passed without
 * its answer. ioredis's own `commandTimeout` rejects from its timer, and
 * after the event loop was busy past the deadline (a burst of connections
 * to accept on a loaded machine) the timers run before the poll phase reads
 * the socket: an answer Redis gave in a millisecond, waiting there, was
 * thrown away, and the caller failed open as if Redis were down —
 * smtp-ingress and pop3-server admitted a connection flood past its per-IP
 * limit, the moment the limit is for. Here an expired deadline first lets
 * the loop read what arrived (setImmediate callbacks run after the poll
 * phase) and rejects only a command still unanswered.
 */
export function enforceCommandDeadline(client: Redis, timeoutMs: number): void {
  const prototype = Object.getPrototypeOf(client) as Redis;
  const armed = new WeakSet<Command>();
  client.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
    const [command] = args;
    // A command waiting in the offline queue is sent again once connected: one deadline, from the first send
    if (!armed.has(command)) {
      armed.add(command);
      const timer = setTimeout(() => {
        setImmediate(() => {
          if (!command.isResolved) command.reject(new Error('Command timed out'));
        });
      }, timeoutMs);
      const clear = () => clearTimeout(timer);
      void command.promise.then(clear, clear);
    }
    return prototype.sendCommand.apply(client, args);
  };
}

function logOutages(client: Redis, log: Logger): void {
  let downSince: number | undefined;
  client.on('error', (error: Error) => {
    if (downSince !== undefined) return;
    downSince = Date.now();
    log.warn({ err: error }, 'Redis unreachable: commands fail or wait until it is back (reconnecting)');
  });
  client.on('ready', () => {
    if (downSince === undefined) return;
    log.info({ downMs: Date.now() - downSince }, 'Redis reachable again');
    downSince = undefined;
  });
}
