/**
 * Configuration of imap-server, read once at start-up from the environment.
 * The shared settings (NATS, Redis, LISTEN_HOST, MAIL_HOSTNAME, logging,
 * HTTP_PORT, TLS_CERT_FILE/TLS_KEY_FILE) come from @mail/config's
 * commonConfig through runService.
 */
import { bool, duration, int, optionalString, port, type Reader } from '@mail/config';
import { listeners } from '@mail/service-catalog';

export const imapServerConfig = {
  /** TCP port of the IMAP listener, bound to LISTEN_HOST (RFC 9051 §2.1 assigns 143; unprivileged by default, as @mail/service-catalog says). */
  imapPort: port(listeners.imap.portVariable, listeners.imap.defaultPort),
  /**
   * TCP port of the IMAPS listener (implicit TLS, RFC 8314 §3.3; 993 in
   * production). Unset: no IMAPS listener. Needs TLS_CERT_FILE and TLS_KEY_FILE.
   */
  imapsPort: optionalPort(listeners.imaps.portVariable),
  /** PEM certificate chain for STARTTLS (RFC 9051 §6.2.1) and IMAPS; STARTTLS is offered only when this and TLS_KEY_FILE are set. */
  tlsCertFile: optionalString('TLS_CERT_FILE'),
  /** PEM private key matching TLS_CERT_FILE. */
  tlsKeyFile: optionalString('TLS_KEY_FILE'),
  /**
   * How often TLS_CERT_FILE and TLS_KEY_FILE are read again for a renewed certificate (a change in their directory is read at once too, as
   * when the kubelet updates a mounted Secret); a pair that cannot be used keeps the previous one in service. 0: read once at start.
   */
  tlsReloadIntervalMs: duration('TLS_RELOAD_INTERVAL', '30s'),
  /**
   * Allow LOGIN and AUTHENTICATE PLAIN without TLS for clients on the
   * loopback interface (development, tests). Elsewhere passwords are taken
   * only over TLS, and LOGINDISABLED is advertised before it (RFC 9051 §6.2.3, §11.1).
   */
  allowPlaintextAuth: bool('IMAP_ALLOW_PLAINTEXT_AUTH', false),
  /** RFC 9051 §5.4: the inactivity autologout timer must be at least 30 minutes (IDLE included). */
  idleTimeoutMs: duration('IMAP_IDLE_TIMEOUT', '30m'),
  /** Inactivity before authentication, after which the connection is closed (RFC 9051 §5.4 allows a shorter timer here). */
  loginTimeoutMs: duration('IMAP_LOGIN_TIMEOUT', '60s'),
  /**
   * Open connections from one client network (IPv4 address, IPv6 /64) across
   * every replica, counted in Redis; then `* BYE [UNAVAILABLE]` instead of the
   * greeting (slowloris from one host). Higher than POP3's: IMAP clients keep
   * several connections per account open (IDLE), and households share an
   * address. 0 = no limit.
   */
  maxConnectionsPerIp: int('IMAP_MAX_CONNECTIONS_PER_IP', 100, { min: 0, max: 100_000 }),
  /** Open connections one process holds at most (IMAP and IMAPS together); then `* BYE [UNAVAILABLE]` instead of the greeting. */
  maxConnections: int('IMAP_MAX_CONNECTIONS', 10_000, { min: 1, max: 1_000_000 }),
  /** BAD or NO answers caused by the client after which the session is closed with BYE. */
  maxErrors: int('IMAP_MAX_ERRORS', 20, { min: 1, max: 1000 }),
  /** Failed logins for one user name within the window after which its logins are refused. */
  authMaxFailuresPerUser: int('IMAP_AUTH_MAX_FAILURES_PER_USER', 10, { min: 1, max: 100_000 }),
  /** Failed logins from one client network (IPv4 address, IPv6 /64) within the window after which its logins are refused. */
  authMaxFailuresPerNetwork: int('IMAP_AUTH_MAX_FAILURES_PER_IP', 30, { min: 1, max: 1_000_000 }),
  /** How long failures are counted from the first one, and so how long a block lasts at most. */
  authFailureWindowMs: duration('IMAP_AUTH_FAILURE_WINDOW', '15m'),
  /** How long a login with wrong credentials waits before its `NO [AUTHENTICATIONFAILED]`, slowing a guesser down before any block. */
  authFailureDelayMs: duration('IMAP_AUTH_FAILURE_DELAY', '1s'),
  /** How long a refused (blocked) login waits before its `NO`, slowing a guesser down. */
  authBlockedDelayMs: duration('IMAP_AUTH_BLOCKED_DELAY', '2s'),
  /** Deadline of each request to mailbox-store (credentials, folder state, one chunk, a flag change). */
  storeTimeoutMs: duration('IMAP_STORE_TIMEOUT', '10s'),
  /** How long running sessions may take to finish their current command on shutdown (IDLE sessions are told BYE at once). */
  shutdownGraceMs: duration('IMAP_SHUTDOWN_GRACE', '10s'),
};

/** A port, or undefined when the variable is not set. */
function optionalPort(name: string): Reader<number | undefined> {
  const read = port(name, 0);
  return (env) => (env[name] === undefined || env[name]?.trim() === '' ? undefined : read(env));
}
