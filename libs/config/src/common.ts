/** Settings every service shares: where the bus, database and cache are, and how to log. */
import { duration, enumOf, int, string, url } from './readers';

export const commonConfig = {
  natsUrl: url('NATS_URL', 'nats://127.0.0.1:4222', ['nats', 'tls', 'ws', 'wss']),
  /** Prefix of every subject, stream and bucket; tests use their own to stay isolated. */
  natsNamespace: string('NATS_NAMESPACE', 'mail'),
  streamReplicas: int('NATS_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
  /** How long the streams keep messages (max_age): the window `mailctl trace` can look back over. */
  streamMaxAgeMs: duration('NATS_STREAM_MAX_AGE', '7d'),
  redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']),
  redisKeyPrefix: string('REDIS_KEY_PREFIX', 'mail:'),
  logLevel: enumOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info'),
  listenHost: string('LISTEN_HOST', '127.0.0.1'),
  mailHostname: string('MAIL_HOSTNAME', 'localhost'),
};

export type CommonConfig = { [K in keyof typeof commonConfig]: ReturnType<(typeof commonConfig)[K]> };
