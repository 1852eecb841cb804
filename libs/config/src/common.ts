/** Settings every service shares: where the bus, database and cache are, and how to log. */
import { duration, enumOf, int, optionalString, string, url } from './readers';

export const commonConfig = {
  /** The NATS server (with JetStream) every service talks through; `tls://` for TLS. */
  natsUrl: url('NATS_URL', 'nats://127.0.0.1:4222', ['nats', 'tls', 'ws', 'wss']),
  /** Prefix of every subject, stream and bucket; tests use their own to stay isolated. */
  natsNamespace: string('NATS_NAMESPACE', 'mail'),
  /** This service's NATS user (with NATS_PASSWORD), as the generated `authorization` block of the NATS server names it (`npm run nats-auth`: the service's name, `mailctl` for mailctl). Unset: no user. */
  natsUser: optionalString('NATS_USER'),
  /** The password of NATS_USER; from a Secret, never from a ConfigMap. */
  natsPassword: optionalString('NATS_PASSWORD'),
  /** A NATS token instead of a user and password. */
  natsToken: optionalString('NATS_TOKEN'),
  /** A NATS credentials file (user JWT and NKey seed, `nsc generate creds`) instead of a user and password. */
  natsCredsFile: optionalString('NATS_CREDS_FILE'),
  /** PEM file of the certificate authority that signed the NATS server's certificate: TLS to NATS, verified against it (use with a `tls://` NATS_URL). */
  natsTlsCaFile: optionalString('NATS_TLS_CA_FILE'),
  /** PEM client certificate for NATS servers that verify clients (with NATS_TLS_KEY_FILE). */
  natsTlsCertFile: optionalString('NATS_TLS_CERT_FILE'),
  /** PEM key of NATS_TLS_CERT_FILE. */
  natsTlsKeyFile: optionalString('NATS_TLS_KEY_FILE'),
  /** Replicas of each stream and its consumers: 3 on a three-server NATS cluster (a publish then survives the loss of one), 1 on a single server. */
  streamReplicas: int('NATS_STREAM_REPLICAS', 1, { min: 1, max: 5 }),
  /** How long the streams keep messages (max_age): the window `mailctl trace` can look back over. */
  streamMaxAgeMs: duration('NATS_STREAM_MAX_AGE', '7d'),
  /**
   * The most each stream may hold (max_bytes), in bytes; -1: no limit. A full stream refuses new messages (discard new): smtp-ingress then answers 451 and the sender retries, where the
   * JetStream default would drop the oldest accepted mail. JetStream reserves this much storage per stream, so their sum must fit the servers' file store.
   */
  streamMaxBytes: int('NATS_STREAM_MAX_BYTES', -1, { min: -1 }),
  /** Redis, for the state replicas share (connection and login limits, maildrop locks, DNS list answers, classifier statistics, per-domain delivery slots); `rediss://` for TLS, the password in the URL. */
  redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']),
  /** Prefix of every Redis key; tests use their own to stay isolated. */
  redisKeyPrefix: string('REDIS_KEY_PREFIX', 'mail:'),
  /** Least severe level written to the JSON log on stdout. */
  logLevel: enumOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const, 'info'),
  /** Address the protocol listeners and the ops endpoint (HTTP_PORT) bind to; `0.0.0.0` in a container. */
  listenHost: string('LISTEN_HOST', '127.0.0.1'),
  /** This system's host name: in the SMTP and POP3 greetings, `Received:` and `Authentication-Results:` fields, outbound EHLO and delivery status notifications. */
  mailHostname: string('MAIL_HOSTNAME', 'localhost'),
};

export type CommonConfig = { [K in keyof typeof commonConfig]: ReturnType<(typeof commonConfig)[K]> };
