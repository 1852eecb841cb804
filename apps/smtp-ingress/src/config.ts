/**
 * Configuration of smtp-ingress, read once at start-up from the environment.
 * The shared settings (NATS, LISTEN_HOST, MAIL_HOSTNAME, logging, HTTP_PORT)
 * come from @mail/config's commonConfig through runService.
 */
import { duration, hostPortList, int, optionalString, port } from '@mail/config';

/** RFC 1870 default of this platform: 25 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 25 * 1024 * 1024;

export const smtpIngressConfig = {
  /** Inbound MX listener (RFC 5321 §4.5.4 port 25 in production; unprivileged by default). */
  smtpPort: port('SMTP_PORT', 2525),
  /** Message submission listener (RFC 6409 §3.1 port 587); requires AUTH before MAIL. */
  submissionPort: port('SUBMISSION_PORT', 2587),
  /** Largest message accepted, in octets; advertised as SIZE (RFC 1870 §4). */
  maxMessageSize: int('MAX_MESSAGE_SIZE', DEFAULT_MAX_MESSAGE_SIZE, { min: 1024, max: 1024 * 1024 * 1024 }),
  /** PEM certificate chain for STARTTLS (RFC 3207); offered only when this and TLS_KEY_FILE are set. */
  tlsCertFile: optionalString('TLS_CERT_FILE'),
  /** PEM private key matching TLS_CERT_FILE. */
  tlsKeyFile: optionalString('TLS_KEY_FILE'),
  /** RFC 5321 §4.5.3.2.7: the server waits at least 5 minutes for the next command (and for data). */
  idleTimeoutMs: duration('SMTP_IDLE_TIMEOUT', '5m'),
  /** RFC 5321 §4.5.3.1.8: at least 100 recipients must be accepted per transaction. */
  maxRecipients: int('SMTP_MAX_RECIPIENTS', 100, { min: 1, max: 1000 }),
  /** Replies caused by the client (5xx) after which the session gets 421 and is closed. */
  maxErrors: int('SMTP_MAX_ERRORS', 10, { min: 1, max: 1000 }),
  /** Deadline of each RCPT lookup in mailbox-store; on expiry the client gets 451 4.4.3. */
  recipientLookupTimeoutMs: duration('SMTP_RCPT_LOOKUP_TIMEOUT', '5s'),
  /**
   * When mailbox-store cannot answer, reuse its "local" answer for the same
   * address if it is at most this old (stale-if-error); 0 disables.
   */
  recipientStaleLimitMs: duration('SMTP_RCPT_STALE_LIMIT', '1h'),
  /** How long a shutdown waits for sessions to finish before dropping them. */
  drainTimeoutMs: duration('SMTP_DRAIN_TIMEOUT', '30s'),
  /** DNS servers for the reverse lookup of the client (host:port, comma-separated); default: the system's. */
  dnsServers: hostPortList('DNS_SERVERS', 53),
  /** Deadline of the reverse DNS lookup shown in the Received: header. */
  reverseDnsTimeoutMs: duration('SMTP_RDNS_TIMEOUT', '2s'),
};
