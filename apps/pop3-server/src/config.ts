/**
 * Configuration of pop3-server, read once at start-up from the environment.
 * The shared settings (NATS, Redis, LISTEN_HOST, MAIL_HOSTNAME, logging,
 * HTTP_PORT) come from @mail/config's commonConfig through runService.
 */
import { ConfigError, bool, duration, int, list, optionalPort, optionalString, port, type Reader } from '@mail/config';
import { listeners } from '@mail/service-catalog';

export const pop3ServerConfig = {
  /** TCP port of the POP3 listener, bound to LISTEN_HOST (RFC 1939 §3 assigns 110; unprivileged by default, as @mail/service-catalog says). */
  pop3Port: port(listeners.pop3.portVariable, listeners.pop3.defaultPort),
  /**
   * TCP port of the POP3S listener (implicit TLS, RFC 8314 §3.3; 995 in
   * production). Unset: no POP3S listener. Needs TLS_CERT_FILE and TLS_KEY_FILE.
   */
  pop3sPort: optionalPort(listeners.pop3s.portVariable),
  /** PEM certificate chain for STLS (RFC 2595); STLS is offered only when this and TLS_KEY_FILE are set. */
  tlsCertFile: optionalString('TLS_CERT_FILE'),
  /** PEM private key matching TLS_CERT_FILE. */
  tlsKeyFile: optionalString('TLS_KEY_FILE'),
  /**
   * How often TLS_CERT_FILE and TLS_KEY_FILE are read again for a renewed certificate (a change in their directory is read at once too, as
   * when the kubelet updates a mounted Secret); a pair that cannot be used keeps the previous one in service. 0: read once at start.
   */
  tlsReloadIntervalMs: duration('TLS_RELOAD_INTERVAL', '30s'),
  /**
   * Allow USER/PASS and AUTH PLAIN on connections without TLS. Defaults to
   * true while deployments terminate TLS elsewhere or have no certificate
   * yet; set it to false once TLS_CERT_FILE is configured, so that passwords
   * never cross the network in clear text (RFC 2595 §2.2).
   */
  allowPlaintextAuth: bool('POP3_ALLOW_PLAINTEXT_AUTH', true),
  /**
   * Offer APOP (RFC 1939 §7): the greeting carries a timestamp and APOP is
   * checked by mailbox-store against the user's APOP secret (which needs
   * APOP_SECRET_KEY there). Off by default: APOP rests on MD5.
   */
  apopEnabled: bool('POP3_APOP_ENABLED', false),
  /** Folders that make up the maildrop, in listing order (e.g. INBOX,Junk). */
  folders: folderList('POP3_FOLDERS', ['INBOX']),
  /** RFC 1939 §3: the inactivity autologout timer must be at least 10 minutes. */
  idleTimeoutMs: duration('POP3_IDLE_TIMEOUT', '10m'),
  /** Lifetime of the maildrop lock in Redis; the session refreshes it at a third of this. */
  lockTtlMs: duration('POP3_LOCK_TTL', '60s'),
  /**
   * Open connections from one client network (IPv4 address, IPv6 /64) across
   * every replica, counted in Redis; then `-ERR [SYS/TEMP]` instead of the
   * greeting (slowloris from one host). 0 = no limit.
   */
  maxConnectionsPerIp: int('POP3_MAX_CONNECTIONS_PER_IP', 20, { min: 0, max: 100_000 }),
  /** Open connections one process holds at most (POP3 and POP3S together); then `-ERR [SYS/TEMP]`. */
  maxConnections: int('POP3_MAX_CONNECTIONS', 1000, { min: 1, max: 1_000_000 }),
  /** `-ERR` replies caused by the client after which the session is closed. */
  maxErrors: int('POP3_MAX_ERRORS', 10, { min: 1, max: 1000 }),
  /** Failed logins for one user name within the window after which its logins are refused. */
  authMaxFailuresPerUser: int('POP3_AUTH_MAX_FAILURES_PER_USER', 10, { min: 1, max: 100_000 }),
  /** Failed logins from one client network (IPv4 address, IPv6 /64) within the window after which its logins are refused. */
  authMaxFailuresPerNetwork: int('POP3_AUTH_MAX_FAILURES_PER_IP', 30, { min: 1, max: 1_000_000 }),
  /** How long failures are counted from the first one, and so how long a block lasts at most. */
  authFailureWindowMs: duration('POP3_AUTH_FAILURE_WINDOW', '15m'),
  /** How long a login with wrong credentials waits before its `-ERR [AUTH]`, slowing a guesser down before any block. */
  authFailureDelayMs: duration('POP3_AUTH_FAILURE_DELAY', '1s'),
  /** How long a refused (blocked) login waits before its `-ERR [AUTH]`, slowing a guesser down. */
  authBlockedDelayMs: duration('POP3_AUTH_BLOCKED_DELAY', '2s'),
  /** RFC 2449 LOGIN-DELAY: least seconds between two logins of a user; 0 (default) announces and enforces none. */
  loginDelaySeconds: int('POP3_LOGIN_DELAY', 0, { min: 0, max: 86_400 }),
  /** Deadline of each request to mailbox-store (credentials, listing, one chunk, expunge). */
  storeTimeoutMs: duration('POP3_STORE_TIMEOUT', '10s'),
  /** How long running sessions may take to finish their current command on shutdown. */
  shutdownGraceMs: duration('POP3_SHUTDOWN_GRACE', '10s'),
};

/** A non-empty comma list of folder names of 1-100 characters (the listMailbox contract). */
function folderList(name: string, fallback: string[]): Reader<string[]> {
  const read = list(name, fallback);
  return (env) => {
    const folders = read(env);
    if (folders.length === 0 || folders.some((folder) => folder.length > 100)) {
      throw new ConfigError(name, 'a comma-separated list of folder names (1-100 characters each)', env[name]);
    }
    return folders;
  };
}
