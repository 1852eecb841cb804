/**
 * Configuration of smtp-ingress, read once at start-up from the environment.
 * The shared settings (NATS, Redis, LISTEN_HOST, MAIL_HOSTNAME, logging,
 * HTTP_PORT) come from @mail/config's commonConfig through runService.
 */
import { bool, ConfigError, duration, hostPortList, int, list, optionalPort, optionalString, port, type Reader } from '@mail/config';
import { AddressList, AddressListError } from '@mail/proxy-protocol';
import { listeners } from '@mail/service-catalog';

/** RFC 1870 default of this platform: 25 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 25 * 1024 * 1024;

/**
 * A comma-separated list of IP addresses and CIDR networks (the load
 * balancers allowed to send a PROXY header); `fallback` when unset.
 */
function addressList(name: string, fallback?: Reader<AddressList>): Reader<AddressList> {
  return (env) => {
    const entries = list(name)(env);
    if (entries.length === 0 && fallback !== undefined) return fallback(env);
    try {
      return AddressList.parse(entries);
    } catch (error) {
      if (error instanceof AddressListError) {
        throw new ConfigError(name, `a comma-separated list of IP addresses or CIDR networks (${error.message})`, entries.join(','));
      }
      throw error;
    }
  };
}

/** Load balancers allowed to send a PROXY v1/v2 header (IPs and CIDRs), on every listener unless the per-listener variables say otherwise. */
const proxyTrustedEverywhere = addressList('PROXY_PROTOCOL_TRUSTED');

export const smtpIngressConfig = {
  /** Inbound MX listener (RFC 5321 §4.5.4 port 25 in production; unprivileged by default, as @mail/service-catalog says). */
  smtpPort: port(listeners.smtp.portVariable, listeners.smtp.defaultPort),
  /** Message submission listener (RFC 6409 §3.1 port 587); requires AUTH before MAIL. */
  submissionPort: port(listeners.submission.portVariable, listeners.submission.defaultPort),
  /**
   * Message submission over implicit TLS (RFC 8314 §3.3 port 465): the submission listener's policy with TLS from the first byte, and no
   * STARTTLS. Unset: no such listener. Needs TLS_CERT_FILE and TLS_KEY_FILE.
   */
  submissionsPort: optionalPort(listeners.submissions.portVariable),
  /** Largest message accepted, in octets; advertised as SIZE (RFC 1870 §4). */
  maxMessageSize: int('MAX_MESSAGE_SIZE', DEFAULT_MAX_MESSAGE_SIZE, { min: 1024, max: 1024 * 1024 * 1024 }),
  /**
   * Longest line accepted in a message, in octets including CRLF; a longer one gets 550 5.6.0. RFC 5321 §4.5.3.1.6 sets 1000, but real mail
   * exceeds it (0.5 % of the SpamAssassin corpus) and Postfix keeps such mail, so this server does too, up to this bound; outbound-relay
   * re-encodes or folds such lines before sending them on (RFC 5322 §2.1.1). Lines are never held whole: memory does not depend on it.
   */
  maxLineLength: int('SMTP_MAX_LINE_LENGTH', 65_536, { min: 1000, max: 1024 * 1024 }),
  /** PEM certificate chain for STARTTLS (RFC 3207); offered only when this and TLS_KEY_FILE are set. */
  tlsCertFile: optionalString('TLS_CERT_FILE'),
  /** PEM private key matching TLS_CERT_FILE. */
  tlsKeyFile: optionalString('TLS_KEY_FILE'),
  /**
   * How often TLS_CERT_FILE and TLS_KEY_FILE are read again for a renewed certificate (a change in their directory is read at once too, as
   * when the kubelet updates a mounted Secret); a pair that cannot be used keeps the previous one in service. 0: read once at start.
   */
  tlsReloadIntervalMs: duration('TLS_RELOAD_INTERVAL', '30s'),
  /** RFC 5321 §4.5.3.2.7: the server waits at least 5 minutes for the next command (and for data). */
  idleTimeoutMs: duration('SMTP_IDLE_TIMEOUT', '5m'),
  /** The longest a session may last, whatever it does; then 421 4.4.2 at the next wait for the client. */
  sessionTimeoutMs: duration('SMTP_SESSION_TIMEOUT', '30m'),
  /** RFC 5321 §4.5.3.1.8: at least 100 recipients must be accepted per transaction. */
  maxRecipients: int('SMTP_MAX_RECIPIENTS', 100, { min: 1, max: 1000 }),
  /** Messages one connection may send; then MAIL gets 421 4.7.0 and the connection is closed. */
  maxMessagesPerConnection: int('SMTP_MAX_MESSAGES_PER_CONNECTION', 100, { min: 1, max: 100_000 }),
  /** Replies caused by the client (5xx) after which the session gets 421 and is closed. */
  maxErrors: int('SMTP_MAX_ERRORS', 10, { min: 1, max: 1000 }),
  /** Open connections per client IP (IPv6: per /64) across every replica, counted in Redis; 0 = no limit. */
  maxConnectionsPerIp: int('SMTP_MAX_CONNECTIONS_PER_IP', 20, { min: 0, max: 100_000 }),
  /**
   * Open sessions one process holds over both listeners; then 421 4.3.2
   * instead of the greeting (many hosts holding idle connections).
   */
  maxConnections: int('SMTP_MAX_CONNECTIONS', 1000, { min: 1, max: 1_000_000 }),
  /** New connections per client IP (IPv6: per /64) and minute across every replica; 0 = no limit. */
  maxConnectionRate: int('SMTP_MAX_CONNECTION_RATE', 100, { min: 0, max: 1_000_000 }),
  /**
   * Pause before the 220 greeting; a client that talks during it is refused
   * with 554 5.5.1 (pre-greeting traffic, as Postfix postscreen). 0 disables;
   * 300ms or more is advisable on the public MX port.
   */
  greetPauseMs: duration('SMTP_GREET_PAUSE', '0'),
  /** Deadline of the DNSBL screening request to spam-filter; no answer in time = accept (fail open); 0 disables. */
  screenTimeoutMs: duration('SMTP_SCREEN_TIMEOUT', '1500ms'),
  /** Client addresses whose screening answer is reused for its DNS TTL, at most (least recently used forgotten first); 0 asks spam-filter at every connection. */
  screenCacheSize: int('SMTP_SCREEN_CACHE_SIZE', 10_000, { min: 0, max: 10_000_000 }),
  /** Deadline of each RCPT lookup in mailbox-store; on expiry the client gets 451 4.4.3. */
  recipientLookupTimeoutMs: duration('SMTP_RCPT_LOOKUP_TIMEOUT', '5s'),
  /**
   * When mailbox-store cannot answer, reuse its "local" answer for the same
   * address if it is at most this old (stale-if-error); 0 disables.
   */
  recipientStaleLimitMs: duration('SMTP_RCPT_STALE_LIMIT', '1h'),
  /**
   * RCPT is answered from a local replica of the directory (kept by
   * mailbox-store, watched over NATS) while it has confirmed within this
   * long that it holds every change; otherwise mailbox-store is asked. A
   * removed user, alias or domain is refused within this bound (normally
   * within milliseconds). 0 disables the replica: every RCPT asks.
   */
  directoryMaxStalenessMs: duration('SMTP_DIRECTORY_MAX_STALENESS', '5s'),
  /** How long start-up waits for the directory replica to load before accepting connections (RCPT asks mailbox-store until it has). */
  directoryLoadTimeoutMs: duration('SMTP_DIRECTORY_LOAD_TIMEOUT', '10s'),
  /** Allow AUTH without TLS on submission, for clients on loopback only (development). */
  allowPlaintextAuth: bool('SUBMISSION_ALLOW_PLAINTEXT_AUTH', false),
  /** Deadline of the password check in mailbox-store; on expiry 454 4.7.0. */
  authTimeoutMs: duration('SMTP_AUTH_TIMEOUT', '5s'),
  /** Failed AUTH attempts per client IP within SMTP_AUTH_FAILURE_WINDOW before 454 4.7.0. */
  authMaxFailuresPerIp: int('SMTP_AUTH_MAX_FAILURES_PER_IP', 10, { min: 1, max: 100_000 }),
  /** Failed AUTH attempts per user name within SMTP_AUTH_FAILURE_WINDOW before 454 4.7.0. */
  authMaxFailuresPerUser: int('SMTP_AUTH_MAX_FAILURES_PER_USER', 20, { min: 1, max: 100_000 }),
  /** How long failed AUTH attempts are remembered (Redis key lifetime). */
  authFailureWindowMs: duration('SMTP_AUTH_FAILURE_WINDOW', '15m'),
  /** Delay before answering a failed or refused AUTH (slows guessing down). */
  authFailureDelayMs: duration('SMTP_AUTH_FAILURE_DELAY', '1s'),
  /** As PROXY_PROTOCOL_TRUSTED, for the inbound MX listener only (overrides it when set). */
  proxyTrustedInbound: addressList('SMTP_PROXY_PROTOCOL_TRUSTED', proxyTrustedEverywhere),
  /** As PROXY_PROTOCOL_TRUSTED, for the submission listeners only, 587 and 465 (overrides it when set); on 465 the header precedes the TLS handshake. */
  proxyTrustedSubmission: addressList('SUBMISSION_PROXY_PROTOCOL_TRUSTED', proxyTrustedEverywhere),
  /** How long a trusted peer has to send its PROXY header before the connection is closed. */
  proxyTimeoutMs: duration('PROXY_PROTOCOL_TIMEOUT', '5s'),
  /** How long a shutdown waits for sessions to finish before dropping them. */
  drainTimeoutMs: duration('SMTP_DRAIN_TIMEOUT', '30s'),
  /** DNS servers for the reverse lookup of the client (host:port, comma-separated); default: the system's. */
  dnsServers: hostPortList('DNS_SERVERS', 53),
  /** Deadline of the reverse DNS lookup shown in the Received: header. */
  reverseDnsTimeoutMs: duration('SMTP_RDNS_TIMEOUT', '2s'),
  /** DNS answers of the reverse lookups (PTR and the forward confirmation) kept for their TTL, at most (least recently used forgotten first); 0 asks at every connection. */
  reverseDnsCacheSize: int('SMTP_RDNS_CACHE_SIZE', 10_000, { min: 0, max: 10_000_000 }),
};
