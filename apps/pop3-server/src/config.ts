/**
 * Configuration of pop3-server, read once at start-up from the environment.
 * The shared settings (NATS, Redis, LISTEN_HOST, MAIL_HOSTNAME, logging,
 * HTTP_PORT) come from @mail/config's commonConfig through runService.
 */
import { ConfigError, bool, duration, int, list, optionalString, port, type Reader } from '@mail/config';

export const pop3ServerConfig = {
  /** TCP port of the POP3 listener, bound to LISTEN_HOST (RFC 1939 §3 assigns 110; unprivileged by default). */
  pop3Port: port('POP3_PORT', 1110),
  /** PEM certificate chain for STLS (RFC 2595); STLS is offered only when this and TLS_KEY_FILE are set. */
  tlsCertFile: optionalString('TLS_CERT_FILE'),
  /** PEM private key matching TLS_CERT_FILE. */
  tlsKeyFile: optionalString('TLS_KEY_FILE'),
  /**
   * Allow USER/PASS and AUTH PLAIN on connections without TLS. Defaults to
   * true while deployments terminate TLS elsewhere or have no certificate
   * yet; set it to false once TLS_CERT_FILE is configured, so that passwords
   * never cross the network in clear text (RFC 2595 §2.2).
   */
  allowPlaintextAuth: bool('POP3_ALLOW_PLAINTEXT_AUTH', true),
  /** Folders that make up the maildrop, in listing order (e.g. INBOX,Junk). */
  folders: folderList('POP3_FOLDERS', ['INBOX']),
  /** RFC 1939 §3: the inactivity autologout timer must be at least 10 minutes. */
  idleTimeoutMs: duration('POP3_IDLE_TIMEOUT', '10m'),
  /** Lifetime of the maildrop lock in Redis; the session refreshes it at a third of this. */
  lockTtlMs: duration('POP3_LOCK_TTL', '60s'),
  /** `-ERR` replies caused by the client after which the session is closed. */
  maxErrors: int('POP3_MAX_ERRORS', 10, { min: 1, max: 1000 }),
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
