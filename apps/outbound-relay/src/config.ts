/** outbound-relay configuration, read once at start-up. Time limits default to RFC 5321 §4.5.3.2's. */
import { duration, enumOf, hostPortList, int, list, optionalString, port } from '@mail/config';
import { retrySchedule } from './queue/retry-policy';
import { relayHost, relayTlsModes } from './smarthost/relay-host';

export const outboundRelayConfig = {
  /** DNS servers for MX lookups (host:port, comma-separated); default: the system's. */
  dnsServers: hostPortList('DNS_SERVERS', 53),
  /** Deadline of each DNS query (MX and address lookups). */
  dnsTimeoutMs: duration('OUTBOUND_DNS_TIMEOUT', '2s'),
  /**
   * DNS answers of MX and address lookups kept in memory for their TTL
   * (negative ones for their SOA's, failures never; the least recently used
   * go first), as a caching resolver beside Postfix keeps them. 0 asks for
   * every batch.
   */
  dnsCacheSize: int('OUTBOUND_DNS_CACHE_SIZE', 10_000, { min: 0, max: 1_000_000 }),
  /** The port of every remote MX: 25 (RFC 5321 Appendix A); tests point MX names at loopback sinks on another port. */
  smtpPort: port('OUTBOUND_SMTP_PORT', 25),
  /** Deadline of the TCP connection to a remote MX host. */
  connectTimeoutMs: duration('OUTBOUND_CONNECT_TIMEOUT', '30s'),
  /** RFC 5321 §4.5.3.2.1: initial 220 message. */
  greetingTimeoutMs: duration('OUTBOUND_GREETING_TIMEOUT', '5m'),
  /** RFC 5321 §4.5.3.2.2-3: MAIL and RCPT (also EHLO, RSET, QUIT). */
  commandTimeoutMs: duration('OUTBOUND_COMMAND_TIMEOUT', '5m'),
  /** RFC 5321 §4.5.3.2.4: DATA initiation. */
  dataInitTimeoutMs: duration('OUTBOUND_DATA_INIT_TIMEOUT', '2m'),
  /** RFC 5321 §4.5.3.2.5: each data block. */
  dataBlockTimeoutMs: duration('OUTBOUND_DATA_BLOCK_TIMEOUT', '3m'),
  /** RFC 5321 §4.5.3.2.6: DATA termination (the reply after the final dot). */
  dataEndTimeoutMs: duration('OUTBOUND_DATA_END_TIMEOUT', '10m'),
  /** Waits between deliveries of a message with deferred recipients; the last repeats (RFC 5321 §4.5.4.1). */
  retryScheduleMs: retrySchedule('OUTBOUND_RETRY_SCHEDULE', '5m,10m,30m,1h,2h,4h'),
  /**
   * First wait before a message is tried again after its round failed on this
   * side (Redis or NATS unreachable or too slow to answer, a bug) rather than
   * at a remote server: doubles with each delivery of the message, never
   * beyond OUTBOUND_RETRY_SCHEDULE's wait for that delivery.
   */
  failureRetryMs: duration('OUTBOUND_FAILURE_RETRY', '1s'),
  /** Give up (bounce) after this long in the queue (RFC 5321 §4.5.4.1: 4-5 days). */
  maxAgeMs: duration('OUTBOUND_MAX_AGE', '5d'),
  /**
   * Connections one batch uses at once for one destination, at most (and
   * idle connections kept per server, with OUTBOUND_BATCH_CONCURRENCY).
   */
  concurrency: int('OUTBOUND_CONCURRENCY', 16, { min: 1, max: 1024 }),
  /** Queued messages taken in one batch at most: one Redis pipeline for their records, destinations grouped. 1 delivers each alone. */
  batchSize: int('OUTBOUND_BATCH_SIZE', 64, { min: 1, max: 1000 }),
  /** How long the first message of a batch waits for others before the batch goes; a full batch goes at once. */
  batchWaitMs: duration('OUTBOUND_BATCH_WAIT', '5ms'),
  /** Batches delivered at once by this replica; the next batch gathers while they run. */
  batchConcurrency: int('OUTBOUND_BATCH_CONCURRENCY', 2, { min: 1, max: 256 }),
  /**
   * Messages of a batch for one destination sent back to back on one
   * connection (RFC 5321 §3.3: one transaction after another); more of them
   * go over further connections at once, up to OUTBOUND_CONCURRENCY.
   * Small lanes by default: a transaction waits on the remote server's
   * replies, not on our CPU, so a destination's messages go faster over
   * more connections at once (bounded by OUTBOUND_CONCURRENCY and
   * OUTBOUND_DOMAIN_CONCURRENCY), as Postfix's client spreads them up to its
   * destination concurrency. 8 gave 0.82× Postfix's relay rate in the bench,
   * 2 gave 1.12–1.19× (docs/benchmarks.md, issue 15).
   */
  messagesPerConnection: int('OUTBOUND_MESSAGES_PER_CONNECTION', 2, { min: 1, max: 1000 }),
  /** How long a connection waits idle for the next message to the same server; 0 closes it at once. */
  connectionIdleMs: duration('OUTBOUND_CONNECTION_IDLE', '5s'),
  /** One delay notice to the sender (RFC 3464 Action: delayed) once a message has waited this long. */
  delayNoticeAfterMs: duration('OUTBOUND_DELAY_NOTICE_AFTER', '4h'),
  /** Domains only reached over STARTTLS with a valid certificate (`.example.org` for its subdomains). */
  tlsRequiredDomains: list('OUTBOUND_TLS_REQUIRED_DOMAINS', []),
  /** Concurrent deliveries to one domain across all replicas (Redis semaphore). */
  domainConcurrency: int('OUTBOUND_DOMAIN_CONCURRENCY', 10, { min: 1, max: 1000 }),
  /** Wait before trying again when a domain is at its concurrency limit. */
  throttleDelayMs: duration('OUTBOUND_THROTTLE_DELAY', '5s'),
  /**
   * A smarthost that takes all outbound mail instead of the recipients' MX
   * hosts (where port 25 is blocked), as Postfix's relayhost:
   * `[smtp.example.net]:587` connects to that host, `example.net:587` looks
   * up its MX records first. Port 587 by default, 465 with
   * OUTBOUND_RELAY_TLS=implicit. Unset: direct delivery by MX.
   */
  relayHost: relayHost('OUTBOUND_RELAY_HOST'),
  /** User name for AUTH PLAIN or LOGIN at the smarthost (RFC 4954), sent only over TLS; with OUTBOUND_RELAY_PASSWORD or OUTBOUND_RELAY_PASSWORD_FILE. */
  relayUsername: optionalString('OUTBOUND_RELAY_USERNAME'),
  /** Password for OUTBOUND_RELAY_USERNAME (prefer OUTBOUND_RELAY_PASSWORD_FILE). */
  relayPassword: optionalString('OUTBOUND_RELAY_PASSWORD'),
  /** File holding the smarthost password (a mounted Kubernetes Secret); read again for each new connection, so a rotated Secret applies without a restart. */
  relayPasswordFile: optionalString('OUTBOUND_RELAY_PASSWORD_FILE'),
  /**
   * TLS to the smarthost, always with a verified certificate for its name:
   * `starttls` (RFC 3207, required: a smarthost without it gets no mail and no
   * password), `implicit` (RFC 8314 §3.3, port 465), or `none` for a
   * smarthost on loopback only.
   */
  relayTls: enumOf('OUTBOUND_RELAY_TLS', relayTlsModes, 'starttls'),
  /** PEM file of a CA trusted for the smarthost's certificate, besides the bundled public roots (a private CA). */
  relayTlsCaFile: optionalString('OUTBOUND_RELAY_TLS_CA_FILE'),
};
